import Testing

@testable import EventStore

@Suite struct SQLScriptTests {
    @Test func splitsOnSemicolonsOutsideQuotesCommentsAndDollarBodies() {
        let script = """
            -- a comment; not a statement
            CREATE TABLE a (x text DEFAULT ';');
            /* block; /* nested; */ still comment; */
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
            CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $body$ SELECT 'a;b' $body$;
            SELECT E'it\\'s; fine', "odd;name", $1;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 4)
        #expect(statements[0].hasSuffix("CREATE TABLE a (x text DEFAULT ';')"))
        #expect(statements[1].contains("RETURN 1; END $$"))
        #expect(statements[2].contains("'a;b' $body$"))
        #expect(statements[3].contains(#""odd;name", $1"#))
    }

    @Test func trailingCommentsAreNotStatements() {
        #expect(SQLScript.statements(in: "SELECT 1;\n-- done\n").count == 1)
    }
}
