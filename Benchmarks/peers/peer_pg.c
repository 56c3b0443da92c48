/*
 * peer_pg.c -- PostgreSQL through libpq.  Table events(position bigint identity primary key, stream
 * text, version bigint, type text, occurred_at bigint, data bytea, unique (stream, version)).
 * Appends: COPY ... FROM STDIN (FORMAT binary), one COPY per batch (one transaction); or a prepared
 * INSERT per event, pipelined, between BEGIN and COMMIT.  Single events (the commit phase) are one
 * INSERT each, autocommitted.  Reads use binary results.
 */
#include "peer.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

struct pg_conn {
	PGconn *db;
	int copy;
	char describe[200];
};

static void pg_ok(PGconn *db, PGresult *r, ExecStatusType want, const char *what)
{
	if (!r || PQresultStatus(r) != want)
		die("postgres: %s: %s", what, r ? PQresultErrorMessage(r) : PQerrorMessage(db));
	PQclear(r);
}

static void pg_exec(PGconn *db, const char *sql)
{
	pg_ok(db, PQexec(db, sql), PGRES_COMMAND_OK, sql);
}

static PGconn *pg_open(const struct opts *o)
{
	if (!o->conninfo)
		die("--conninfo is required for pg");
	PGconn *db = PQconnectdb(o->conninfo);
	if (PQstatus(db) != CONNECTION_OK)
		die("postgres: cannot connect (%s): %s", o->conninfo, PQerrorMessage(db));
	return db;
}

static void pg_setup(const struct opts *o, int create)
{
	if (!create)
		return;
	PGconn *db = pg_open(o);
	pg_exec(db, "DROP TABLE IF EXISTS events");
	pg_exec(db, "CREATE TABLE events (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
		    "stream text NOT NULL, version bigint NOT NULL, type text NOT NULL, occurred_at bigint NOT NULL, "
		    "data bytea NOT NULL, UNIQUE (stream, version))");
	PQfinish(db);
}

static void *pg_connect(const struct opts *o)
{
	struct pg_conn *c = xcalloc(1, sizeof *c);
	c->db = pg_open(o);
	c->copy = strcmp(o->pg_mode, "copy") == 0;
	pg_ok(c->db,
	      PQprepare(c->db, "insert",
			"INSERT INTO events (stream, version, type, occurred_at, data) VALUES ($1, $2, $3, $4, $5)", 5,
			NULL),
	      PGRES_COMMAND_OK, "prepare insert");
	pg_ok(c->db,
	      PQprepare(c->db, "page",
			"SELECT position, stream, version, data FROM events WHERE position > $1::bigint "
			"ORDER BY position LIMIT 10000",
			1, NULL),
	      PGRES_COMMAND_OK, "prepare page");
	pg_ok(c->db,
	      PQprepare(c->db, "stream", "SELECT version, data FROM events WHERE stream = $1 ORDER BY version", 1,
			NULL),
	      PGRES_COMMAND_OK, "prepare stream");
	PGresult *r = PQexec(c->db, "SELECT current_setting('server_version'), current_setting('synchronous_commit'), "
				    "current_setting('fsync'), current_setting('wal_sync_method')");
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		die("postgres: settings: %s", PQresultErrorMessage(r));
	snprintf(c->describe, sizeof c->describe,
		 ",\"postgres\":\"%s\",\"mode\":\"%s\",\"synchronous_commit\":\"%s\",\"fsync\":\"%s\",\"wal_sync_method\":\"%s\"",
		 PQgetvalue(r, 0, 0), c->copy ? "copy" : "insert", PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2),
		 PQgetvalue(r, 0, 3));
	if (strcmp(PQgetvalue(r, 0, 1), "on") != 0 || strcmp(PQgetvalue(r, 0, 2), "on") != 0)
		die("postgres: synchronous_commit and fsync must be on for a durable benchmark");
	PQclear(r);
	return c;
}

static void pg_disconnect(void *cp)
{
	struct pg_conn *c = cp;
	PQfinish(c->db);
	free(c);
}

/* Binary COPY: signature, flags, header extension; per row a field count and length-prefixed fields. */
static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16); p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
}

static size_t copy_row(unsigned char *p, const struct event *e)
{
	unsigned char *start = p;
	size_t tl = strlen(EVENT_TYPE);
	p[0] = 0; p[1] = 5; p += 2;
	put_be32(p, (uint32_t)e->stream_len); memcpy(p + 4, e->stream, e->stream_len); p += 4 + e->stream_len;
	put_be32(p, 8); put_be64(p + 4, e->version); p += 12;
	put_be32(p, (uint32_t)tl); memcpy(p + 4, EVENT_TYPE, tl); p += 4 + tl;
	put_be32(p, 8); put_be64(p + 4, (uint64_t)e->occurred_at); p += 12;
	put_be32(p, (uint32_t)e->payload_len); memcpy(p + 4, e->payload, e->payload_len); p += 4 + e->payload_len;
	return (size_t)(p - start);
}

static void pg_copy(struct pg_conn *c, const struct event *events, size_t n)
{
	static const unsigned char header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
	size_t cap = 19 + 2;
	for (size_t k = 0; k < n; k++)
		cap += 2 + 5 * 4 + events[k].stream_len + 8 + strlen(EVENT_TYPE) + 8 + events[k].payload_len;
	unsigned char *buf = xcalloc(cap, 1), *p = buf;
	memcpy(p, header, 19); p += 19;
	for (size_t k = 0; k < n; k++)
		p += copy_row(p, &events[k]);
	p[0] = 0xff; p[1] = 0xff; p += 2;
	pg_ok(c->db, PQexec(c->db, "COPY events (stream, version, type, occurred_at, data) FROM STDIN (FORMAT binary)"),
	      PGRES_COPY_IN, "COPY");
	if (PQputCopyData(c->db, (const char *)buf, (int)(p - buf)) != 1 || PQputCopyEnd(c->db, NULL) != 1)
		die("postgres: COPY data: %s", PQerrorMessage(c->db));
	pg_ok(c->db, PQgetResult(c->db), PGRES_COMMAND_OK, "COPY end");
	PGresult *r;
	while ((r = PQgetResult(c->db)) != NULL)
		PQclear(r);
	free(buf);
}

static void send_insert(struct pg_conn *c, const struct event *e, unsigned char *ver, unsigned char *at)
{
	put_be64(ver, e->version);
	put_be64(at, (uint64_t)e->occurred_at);
	const char *values[5] = { e->stream, (const char *)ver, EVENT_TYPE, (const char *)at, (const char *)e->payload };
	int lengths[5] = { (int)e->stream_len, 8, (int)strlen(EVENT_TYPE), 8, (int)e->payload_len };
	int formats[5] = { 1, 1, 1, 1, 1 };
	if (!PQsendQueryPrepared(c->db, "insert", 5, values, lengths, formats, 1))
		die("postgres: send INSERT: %s", PQerrorMessage(c->db));
}

static void pg_insert(struct pg_conn *c, const struct event *events, size_t n)
{
	unsigned char ver[8], at[8];
	if (n == 1) { /* autocommit: one statement, one transaction */
		send_insert(c, &events[0], ver, at);
		pg_ok(c->db, PQgetResult(c->db), PGRES_COMMAND_OK, "INSERT");
		PGresult *r;
		while ((r = PQgetResult(c->db)) != NULL)
			PQclear(r);
		return;
	}
	if (!PQenterPipelineMode(c->db))
		die("postgres: pipeline mode: %s", PQerrorMessage(c->db));
	if (!PQsendQueryParams(c->db, "BEGIN", 0, NULL, NULL, NULL, NULL, 0))
		die("postgres: BEGIN: %s", PQerrorMessage(c->db));
	for (size_t k = 0; k < n; k++)
		send_insert(c, &events[k], ver, at);
	if (!PQsendQueryParams(c->db, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) || !PQpipelineSync(c->db))
		die("postgres: COMMIT: %s", PQerrorMessage(c->db));
	for (size_t k = 0; k < n + 2; k++) { /* BEGIN, the inserts, COMMIT: a result then NULL each */
		pg_ok(c->db, PQgetResult(c->db), PGRES_COMMAND_OK, k == 0 ? "BEGIN" : k == n + 1 ? "COMMIT" : "INSERT");
		if (PQgetResult(c->db) != NULL)
			die("postgres: unexpected extra result in the pipeline");
	}
	pg_ok(c->db, PQgetResult(c->db), PGRES_PIPELINE_SYNC, "sync");
	if (!PQexitPipelineMode(c->db))
		die("postgres: leaving pipeline mode: %s", PQerrorMessage(c->db));
}

static void pg_append(void *cp, const struct event *events, size_t n)
{
	struct pg_conn *c = cp;
	if (c->copy && n > 1)
		pg_copy(c, events, n);
	else
		pg_insert(c, events, n);
}

static uint64_t pg_replay(void *cp, struct view *v)
{
	struct pg_conn *c = cp;
	uint64_t count = 0, last = 0;
	unsigned char lastbuf[8];
	for (;;) {
		put_be64(lastbuf, last);
		const char *values[1] = { (const char *)lastbuf };
		int lengths[1] = { 8 }, formats[1] = { 1 };
		PGresult *r = PQexecPrepared(c->db, "page", 1, values, lengths, formats, 1);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			die("postgres: replay: %s", PQresultErrorMessage(r));
		int rows = PQntuples(r);
		for (int k = 0; k < rows; k++) {
			last = get_be64(PQgetvalue(r, k, 0));
			view_fold(v, PQgetvalue(r, k, 1), (size_t)PQgetlength(r, k, 1), get_be64(PQgetvalue(r, k, 2)),
				  (size_t)PQgetlength(r, k, 3));
		}
		PQclear(r);
		count += (uint64_t)rows;
		if (rows < PAGE_EVENTS)
			return count;
	}
}

static uint64_t pg_read_stream(void *cp, const char *name, size_t len, struct view_row *row)
{
	struct pg_conn *c = cp;
	const char *values[1] = { name };
	int lengths[1] = { (int)len }, formats[1] = { 1 };
	PGresult *r = PQexecPrepared(c->db, "stream", 1, values, lengths, formats, 1);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		die("postgres: read stream: %s", PQresultErrorMessage(r));
	int rows = PQntuples(r);
	for (int k = 0; k < rows; k++)
		row_fold(row, get_be64(PQgetvalue(r, k, 0)), (size_t)PQgetlength(r, k, 1));
	PQclear(r);
	return row->events;
}

static const char *pg_describe(void *cp)
{
	return ((struct pg_conn *)cp)->describe;
}

const struct backend pg_backend = {
	"pg", pg_setup, pg_connect, pg_disconnect, pg_append, pg_replay, pg_read_stream, pg_describe,
};
