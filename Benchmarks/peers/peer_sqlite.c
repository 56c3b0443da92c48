/*
 * peer_sqlite.c -- SQLite through its C API: DIR/events.sqlite in WAL mode with synchronous=FULL
 * (every commit fsyncs the WAL), one table with a unique (stream, version) index.  Each client has
 * its own connection; writers queue on SQLite's lock with a 60 s busy timeout.
 */
#include "peer.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sqlite_conn {
	sqlite3 *db;
	sqlite3_stmt *insert, *page, *stream, *begin, *commit;
	char describe[160];
};

static char db_path[4096];

static void sq_check(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		die("sqlite: %s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

static void sq_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		die("sqlite: %s: %s", sql, err ? err : "?");
}

static sqlite3_stmt *sq_prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	sq_check(db, sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL), sql);
	return s;
}

static void sqlite_setup(const struct opts *o, int create)
{
	if (!o->dir)
		die("--dir is required for sqlite");
	if (create && mkdir(o->dir, 0755) != 0 && errno != EEXIST)
		die("mkdir %s: %s", o->dir, strerror(errno));
	snprintf(db_path, sizeof db_path, "%s/events.sqlite", o->dir);
	if (create) {
		if (access(db_path, F_OK) == 0)
			die("%s exists: sqlite append needs a new directory", db_path);
		sqlite3 *db;
		sq_check(NULL, sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), db_path);
		sq_exec(db, "PRAGMA journal_mode=WAL");
		sq_exec(db, "CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, "
			    "version INTEGER NOT NULL, type TEXT NOT NULL, occurred_at INTEGER NOT NULL, "
			    "data BLOB NOT NULL, UNIQUE (stream, version))");
		sqlite3_close(db);
	}
}

static void *sqlite_connect(const struct opts *o)
{
	(void)o;
	struct sqlite_conn *c = xcalloc(1, sizeof *c);
	sq_check(NULL, sqlite3_open_v2(db_path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL), db_path);
	sqlite3_busy_timeout(c->db, 60000);
	sq_exec(c->db, "PRAGMA journal_mode=WAL");
	sq_exec(c->db, "PRAGMA synchronous=FULL");
	c->insert = sq_prepare(c->db, "INSERT INTO events (stream, version, type, occurred_at, data) VALUES (?, ?, ?, ?, ?)");
	c->page = sq_prepare(c->db, "SELECT position, stream, version, data FROM events WHERE position > ? "
				    "ORDER BY position LIMIT " "10000");
	c->stream = sq_prepare(c->db, "SELECT version, data FROM events WHERE stream = ? ORDER BY version");
	c->begin = sq_prepare(c->db, "BEGIN IMMEDIATE");
	c->commit = sq_prepare(c->db, "COMMIT");
	sqlite3_stmt *s = sq_prepare(c->db, "PRAGMA synchronous");
	int sync = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_finalize(s);
	snprintf(c->describe, sizeof c->describe,
		 ",\"sqlite\":\"%s\",\"journal_mode\":\"wal\",\"synchronous\":%d", sqlite3_libversion(), sync);
	if (sync != 2)
		die("sqlite: synchronous is %d, expected 2 (FULL)", sync);
	return c;
}

static void sqlite_disconnect(void *cp)
{
	struct sqlite_conn *c = cp;
	sqlite3_finalize(c->insert);
	sqlite3_finalize(c->page);
	sqlite3_finalize(c->stream);
	sqlite3_finalize(c->begin);
	sqlite3_finalize(c->commit);
	sqlite3_close(c->db);
	free(c);
}

static void step_done(struct sqlite_conn *c, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		die("sqlite: %s: %s", what, sqlite3_errmsg(c->db));
}

static void sqlite_append(void *cp, const struct event *events, size_t n)
{
	struct sqlite_conn *c = cp;
	step_done(c, c->begin, "BEGIN IMMEDIATE");
	for (size_t k = 0; k < n; k++) {
		const struct event *e = &events[k];
		sqlite3_bind_text(c->insert, 1, e->stream, (int)e->stream_len, SQLITE_STATIC);
		sqlite3_bind_int64(c->insert, 2, (sqlite3_int64)e->version);
		sqlite3_bind_text(c->insert, 3, EVENT_TYPE, -1, SQLITE_STATIC);
		sqlite3_bind_int64(c->insert, 4, e->occurred_at);
		sqlite3_bind_blob(c->insert, 5, e->payload, (int)e->payload_len, SQLITE_STATIC);
		step_done(c, c->insert, "INSERT");
	}
	step_done(c, c->commit, "COMMIT");
}

static uint64_t sqlite_replay(void *cp, struct view *v)
{
	struct sqlite_conn *c = cp;
	uint64_t count = 0;
	sqlite3_int64 last = 0;
	for (;;) {
		uint64_t page = 0;
		sqlite3_bind_int64(c->page, 1, last);
		int rc;
		while ((rc = sqlite3_step(c->page)) == SQLITE_ROW) {
			last = sqlite3_column_int64(c->page, 0);
			const void *name = sqlite3_column_text(c->page, 1);
			size_t nl = (size_t)sqlite3_column_bytes(c->page, 1);
			uint64_t version = (uint64_t)sqlite3_column_int64(c->page, 2);
			(void)sqlite3_column_blob(c->page, 3);
			size_t pl = (size_t)sqlite3_column_bytes(c->page, 3);
			view_fold(v, name, nl, version, pl);
			page++;
		}
		sqlite3_reset(c->page);
		if (rc != SQLITE_DONE)
			die("sqlite: replay: %s", sqlite3_errmsg(c->db));
		count += page;
		if (page < PAGE_EVENTS)
			return count;
	}
}

static uint64_t sqlite_read_stream(void *cp, const char *name, size_t len, struct view_row *row)
{
	struct sqlite_conn *c = cp;
	sqlite3_bind_text(c->stream, 1, name, (int)len, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(c->stream)) == SQLITE_ROW) {
		uint64_t version = (uint64_t)sqlite3_column_int64(c->stream, 0);
		(void)sqlite3_column_blob(c->stream, 1);
		row_fold(row, version, (size_t)sqlite3_column_bytes(c->stream, 1));
	}
	sqlite3_reset(c->stream);
	if (rc != SQLITE_DONE)
		die("sqlite: read stream: %s", sqlite3_errmsg(c->db));
	return row->events;
}

static const char *sqlite_describe(void *cp)
{
	return ((struct sqlite_conn *)cp)->describe;
}

const struct backend sqlite_backend = {
	"sqlite", sqlite_setup, sqlite_connect, sqlite_disconnect, sqlite_append, sqlite_replay, sqlite_read_stream,
	sqlite_describe,
};
