// tlogcheck verifies caselog's transparency log with Go's own implementation of the formats,
// golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog, which caselog's code did not write.
//
// Usage:
//
//	tlogcheck -key VERIFIERKEY -checkpoint FILE [-witness WITNESSKEY]
//	tlogcheck -key VERIFIERKEY -receipt FILE
//	tlogcheck -key VERIFIERKEY -old FILE -checkpoint FILE -consistency FILE
//	tlogcheck -key VERIFIERKEY -tiles URL [-old FILE]
//
// A checkpoint is a signed note (LOG CHECKPOINT), a receipt a C2SP tlog-proof written by
// `caselog proof inclusion`, a consistency file the output of `caselog proof consistency`.
// With -tiles it reads the log's C2SP tlog-tiles over HTTP: the checkpoint, the tree's tiles
// through tlog.TileHashReader (which checks every tile against the signed root), proofs of the
// first, middle and last records built from them with tlog.ProveRecord and checked against entry
// bundles, and with -old a consistency proof built with tlog.ProveTree.
// With -witness the checkpoint must also carry a valid C2SP tlog-cosignature/v1 by that witness
// key. x/mod's note does not know that signature type, so the checker brings its own
// note.Verifier for it (crypto/ed25519 over the message the spec defines); note.Open parses the
// note and matches the signature line to the key.
// It prints one "ok ..." line per check and exits 1 at the first that fails.
//
// Run it in GOPATH mode on Debian's golang-golang-x-mod-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run main.go ...
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"net/http"
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

// cosignatureVerifier checks C2SP tlog-cosignature/v1 signatures: key type 0x04, key hash
// SHA-256(name || "\n" || 0x04 || key)[:4], the signature an 8-byte big-endian time followed by
// an Ed25519 signature of "cosignature/v1\ntime <time>\n" and the note's text.
type cosignatureVerifier struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func (v cosignatureVerifier) Name() string    { return v.name }
func (v cosignatureVerifier) KeyHash() uint32 { return v.hash }
func (v cosignatureVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	time := binary.BigEndian.Uint64(sig[:8])
	signed := append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", time)), msg...)
	return ed25519.Verify(v.key, signed, sig[8:])
}

// newCosignatureVerifier reads a witness key, name+hash+base64(0x04 || key).
func newCosignatureVerifier(vkey string) cosignatureVerifier {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		fail("witness key is not name+hash+key")
	}
	key, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(key) != 1+ed25519.PublicKeySize || key[0] != 0x04 {
		fail("witness key is not base64 of 0x04 and an Ed25519 key")
	}
	digest := sha256.Sum256(append([]byte(parts[0]+"\n"), key...))
	hash := binary.BigEndian.Uint32(digest[:4])
	if fmt.Sprintf("%08x", hash) != parts[1] {
		fail("witness key hash does not match its name and key")
	}
	return cosignatureVerifier{name: parts[0], hash: hash, key: ed25519.PublicKey(key[1:])}
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

// tilePath is a tile's path in the C2SP layout: the index in 3-digit groups, all but the last
// prefixed by x, and .p/W for a partial tile.
func tilePath(level string, n int64, w int) string {
	groups := fmt.Sprintf("%03d", n%1000)
	for n /= 1000; n > 0; n /= 1000 {
		groups = fmt.Sprintf("x%03d/", n%1000) + groups
	}
	path := "tile/" + level + "/" + groups
	if w < 256 {
		path += fmt.Sprintf(".p/%d", w)
	}
	return path
}

func get(url string) []byte {
	response, err := http.Get(url)
	if err != nil {
		fail("GET %s: %v", url, err)
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil || response.StatusCode != 200 {
		fail("GET %s: status %d, %v", url, response.StatusCode, err)
	}
	return body
}

// tiles reads tiles over HTTP for tlog.TileHashReader.
type tiles struct{ base string }

func (t tiles) Height() int { return 8 }

func (t tiles) ReadTiles(list []tlog.Tile) ([][]byte, error) {
	var data [][]byte
	for _, tile := range list {
		data = append(data, get(t.base+"/"+tilePath(fmt.Sprint(tile.L), tile.N, tile.W)))
	}
	return data, nil
}

func (t tiles) SaveTiles(list []tlog.Tile, data [][]byte) {}

// entry is record i's data from its entry bundle: each entry after its big-endian 2-byte length.
func entry(base string, size, i int64) []byte {
	n := i / 256
	w := size - n*256
	if w > 256 {
		w = 256
	}
	bundle := get(base + "/" + tilePath("entries", n, int(w)))
	for k := int64(0); len(bundle) >= 2; k++ {
		length := int(bundle[0])<<8 | int(bundle[1])
		if len(bundle) < 2+length {
			break
		}
		if k == i%256 {
			return bundle[2 : 2+length]
		}
		bundle = bundle[2+length:]
	}
	fail("entry bundle %d has no entry %d", n, i)
	return nil
}

func checkTiles(base string, verifier note.Verifier, oldFile string) {
	tree := open(get(base+"/checkpoint"), verifier)
	fmt.Printf("ok checkpoint %s %d %s\n", tree.origin, tree.size, tree.root)
	reader := tlog.TileHashReader(tlog.Tree{N: tree.size, Hash: tree.root}, tiles{base})
	for _, i := range []int64{0, tree.size / 2, tree.size - 1} {
		proof, err := tlog.ProveRecord(tree.size, i, reader)
		if err != nil {
			fail("tlog.ProveRecord(%d, %d) from tiles: %v", tree.size, i, err)
		}
		if err := tlog.CheckRecord(proof, tree.size, tree.root, i, tlog.RecordHash(entry(base, tree.size, i))); err != nil {
			fail("tlog.CheckRecord(%d) from tiles: %v", i, err)
		}
		fmt.Printf("ok tiles record %d in tree %d\n", i, tree.size)
	}
	if oldFile == "" {
		return
	}
	old := open(read(oldFile), verifier)
	proof, err := tlog.ProveTree(tree.size, old.size, reader)
	if err != nil {
		fail("tlog.ProveTree from tiles: %v", err)
	}
	if err := tlog.CheckTree(proof, tree.size, tree.root, old.size, old.root); err != nil {
		fail("tlog.CheckTree from tiles: %v", err)
	}
	fmt.Printf("ok tiles tree %d extends %d\n", tree.size, old.size)
}

func main() {
	key := flag.String("key", "", "the log's verifier key, name+hash+base64")
	checkpointFile := flag.String("checkpoint", "", "a signed checkpoint")
	receiptFile := flag.String("receipt", "", "a C2SP tlog-proof receipt")
	oldFile := flag.String("old", "", "an older signed checkpoint")
	consistencyFile := flag.String("consistency", "", "a consistency proof from -old to -checkpoint")
	tilesURL := flag.String("tiles", "", "the base URL of the log's tiles")
	witnessKey := flag.String("witness", "", "a witness's cosignature/v1 key, name+hash+base64")
	flag.Parse()

	verifier, err := note.NewVerifier(*key)
	if err != nil {
		fail("note.NewVerifier: %v", err)
	}

	if *tilesURL != "" {
		checkTiles(*tilesURL, verifier, *oldFile)
		return
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
	if *witnessKey != "" {
		witness := newCosignatureVerifier(*witnessKey)
		n, err := note.Open(read(*checkpointFile), note.VerifierList(verifier, witness))
		if err != nil {
			fail("note.Open with the witness key: %v", err)
		}
		cosigned := false
		for _, sig := range n.Sigs {
			cosigned = cosigned || (sig.Name == witness.name && sig.Hash == witness.hash)
		}
		if !cosigned {
			fail("no cosignature by %s", witness.name)
		}
		fmt.Printf("ok cosigned by %s\n", witness.name)
	}
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
