// tlogcheck verifies caselog's transparency log with Go's own implementation of the formats,
// golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog, which caselog's code did not write.
//
// Usage:
//
//	tlogcheck -key VERIFIERKEY -checkpoint FILE
//	tlogcheck -key VERIFIERKEY -receipt FILE
//	tlogcheck -key VERIFIERKEY -old FILE -checkpoint FILE -consistency FILE
//
// A checkpoint is a signed note (LOG CHECKPOINT), a receipt a C2SP tlog-proof written by
// `caselog proof inclusion`, a consistency file the output of `caselog proof consistency`.
// It prints one "ok ..." line per check and exits 1 at the first that fails.
//
// Run it in GOPATH mode on Debian's golang-golang-x-mod-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run main.go ...
package main

import (
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func fail(format string, args ...interface{}) {
	fmt.Printf("FAIL "+format+"\n", args...)
	os.Exit(1)
}

// open checks the note's signature with the verifier key and parses its checkpoint body.
func open(msg []byte, verifier note.Verifier) checkpoint {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail("note.Open: %v", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		fail("checkpoint body has fewer than three lines")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		fail("checkpoint root: %v", err)
	}
	if lines[0] != verifier.Name() {
		fail("checkpoint origin %q is not the key's name %q", lines[0], verifier.Name())
	}
	return checkpoint{origin: lines[0], size: size, root: root}
}

func read(path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	return data
}

func hashes(lines []string) []tlog.Hash {
	var result []tlog.Hash
	for _, line := range lines {
		if line == "" {
			continue
		}
		h, err := tlog.ParseHash(line)
		if err != nil {
			fail("proof hash %q: %v", line, err)
		}
		result = append(result, h)
	}
	return result
}

func main() {
	key := flag.String("key", "", "the log's verifier key, name+hash+base64")
	checkpointFile := flag.String("checkpoint", "", "a signed checkpoint")
	receiptFile := flag.String("receipt", "", "a C2SP tlog-proof receipt")
	oldFile := flag.String("old", "", "an older signed checkpoint")
	consistencyFile := flag.String("consistency", "", "a consistency proof from -old to -checkpoint")
	flag.Parse()

	verifier, err := note.NewVerifier(*key)
	if err != nil {
		fail("note.NewVerifier: %v", err)
	}

	if *receiptFile != "" {
		text := string(read(*receiptFile))
		parts := strings.SplitN(text, "\n\n", 2)
		if len(parts) != 2 {
			fail("receipt has no blank line before its checkpoint")
		}
		lines := strings.Split(parts[0], "\n")
		if len(lines) < 3 || lines[0] != "c2sp.org/tlog-proof@v1" || !strings.HasPrefix(lines[1], "extra ") ||
			!strings.HasPrefix(lines[2], "index ") {
			fail("receipt header is not c2sp.org/tlog-proof@v1, extra, index")
		}
		leaf, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(lines[1], "extra "))
		if err != nil {
			fail("receipt extra: %v", err)
		}
		index, err := strconv.ParseInt(strings.TrimPrefix(lines[2], "index "), 10, 64)
		if err != nil {
			fail("receipt index: %v", err)
		}
		tree := open([]byte(parts[1]), verifier)
		if err := tlog.CheckRecord(hashes(lines[3:]), tree.size, tree.root, index, tlog.RecordHash(leaf)); err != nil {
			fail("tlog.CheckRecord: %v", err)
		}
		fmt.Printf("ok record %d in tree %d\n", index, tree.size)
		return
	}

	tree := open(read(*checkpointFile), verifier)
	fmt.Printf("ok checkpoint %s %d %s\n", tree.origin, tree.size, tree.root)
	if *oldFile == "" {
		return
	}
	old := open(read(*oldFile), verifier)
	lines := strings.Split(string(read(*consistencyFile)), "\n")
	if len(lines) < 2 || lines[0] != fmt.Sprintf("old %d", old.size) || lines[1] != fmt.Sprintf("new %d", tree.size) {
		fail("consistency file is not from %d to %d", old.size, tree.size)
	}
	if err := tlog.CheckTree(hashes(lines[2:]), tree.size, tree.root, old.size, old.root); err != nil {
		fail("tlog.CheckTree: %v", err)
	}
	fmt.Printf("ok tree %d extends %d\n", tree.size, old.size)
}
