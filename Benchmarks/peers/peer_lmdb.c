/*
 * peer_lmdb.c -- raw C LMDB, the limit: the least a store on LMDB must do for this workload.
 * db "events": position (big-endian u64, MDB_APPEND) -> 64-byte header (u64 position, u64 version,
 * u32 name length, u32 payload length, zeros; native endian), stream name, payload.
 * db "streams": stream name ++ version (big-endian u64) -> position (big-endian u64).
 * Default environment flags (every commit fsyncs) + MDB_NOTLS.
 */
#include "peer.h"

#include <errno.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER 64

static MDB_env *env;
static MDB_dbi dbi_events, dbi_streams;
static uint64_t next_position = 1; /* only touched inside a write transaction */

#define CHECK(call) do { int rc_ = (call); if (rc_ != MDB_SUCCESS) die("%s: %s", #call, mdb_strerror(rc_)); } while (0)

static void lmdb_setup(const struct opts *o, int create)
{
	if (!o->dir)
		die("--dir is required for lmdb");
	char path[4096];
	if (create) {
		if (mkdir(o->dir, 0755) != 0 && errno != EEXIST)
			die("mkdir %s: %s", o->dir, strerror(errno));
		snprintf(path, sizeof path, "%s/data.mdb", o->dir);
		if (access(path, F_OK) == 0)
			die("%s exists: lmdb append needs a new directory", path);
	}
	CHECK(mdb_env_create(&env));
	CHECK(mdb_env_set_maxdbs(env, 4));
	CHECK(mdb_env_set_mapsize(env, (size_t)8 << 30));
	CHECK(mdb_env_set_maxreaders(env, 256));
	CHECK(mdb_env_open(env, o->dir, MDB_NOTLS | (create ? 0 : MDB_RDONLY), 0644));
	MDB_txn *txn;
	CHECK(mdb_txn_begin(env, NULL, create ? 0 : MDB_RDONLY, &txn));
	CHECK(mdb_dbi_open(txn, "events", create ? MDB_CREATE : 0, &dbi_events));
	CHECK(mdb_dbi_open(txn, "streams", create ? MDB_CREATE : 0, &dbi_streams));
	CHECK(mdb_txn_commit(txn));
}

static void *lmdb_connect(const struct opts *o)
{
	(void)o;
	return env;
}

static void lmdb_disconnect(void *c) { (void)c; }

static void lmdb_append(void *c, const struct event *events, size_t n)
{
	(void)c;
	MDB_txn *txn;
	unsigned char rec[HEADER + MAX_NAME + 65536], ekey[8], pval[8], ikey[MAX_NAME + 8];
	CHECK(mdb_txn_begin(env, NULL, 0, &txn));
	for (size_t k = 0; k < n; k++) {
		const struct event *e = &events[k];
		uint64_t pos = next_position++;
		uint32_t nl = (uint32_t)e->stream_len, pl = (uint32_t)e->payload_len;
		size_t size = HEADER + e->stream_len + e->payload_len;
		if (size > sizeof rec)
			die("event of %zu bytes is too large", size);
		memset(rec, 0, HEADER);
		memcpy(rec, &pos, 8);
		memcpy(rec + 8, &e->version, 8);
		memcpy(rec + 16, &nl, 4);
		memcpy(rec + 20, &pl, 4);
		memcpy(rec + HEADER, e->stream, e->stream_len);
		memcpy(rec + HEADER + e->stream_len, e->payload, e->payload_len);
		put_be64(ekey, pos);
		put_be64(pval, pos);
		MDB_val key = { 8, ekey }, val = { size, rec };
		CHECK(mdb_put(txn, dbi_events, &key, &val, MDB_APPEND));
		memcpy(ikey, e->stream, e->stream_len);
		put_be64(ikey + e->stream_len, e->version);
		MDB_val ik = { e->stream_len + 8, ikey }, iv = { 8, pval };
		int rc = mdb_put(txn, dbi_streams, &ik, &iv, MDB_NOOVERWRITE);
		if (rc == MDB_KEYEXIST)
			die("stream %.*s version %lu exists", (int)e->stream_len, e->stream, (unsigned long)e->version);
		CHECK(rc);
	}
	int rc = mdb_txn_commit(txn);
	if (rc != MDB_SUCCESS) {
		next_position -= n;
		die("mdb_txn_commit: %s", mdb_strerror(rc));
	}
}

static void parse_record(const MDB_val *d, const unsigned char **name, uint32_t *name_len, uint64_t *version,
			 uint32_t *payload_len)
{
	if (d->mv_size < HEADER)
		die("malformed record of %zu bytes", d->mv_size);
	const unsigned char *p = d->mv_data;
	memcpy(version, p + 8, 8);
	memcpy(name_len, p + 16, 4);
	memcpy(payload_len, p + 20, 4);
	if ((size_t)HEADER + *name_len + *payload_len != d->mv_size)
		die("malformed record: lengths do not add up");
	*name = p + HEADER;
}

static uint64_t lmdb_replay(void *c, struct view *v)
{
	(void)c;
	uint64_t count = 0, next = 1;
	for (;;) {
		MDB_txn *txn;
		MDB_cursor *cur;
		unsigned char kbuf[8];
		put_be64(kbuf, next);
		MDB_val k = { 8, kbuf }, d;
		CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
		CHECK(mdb_cursor_open(txn, dbi_events, &cur));
		int rc = mdb_cursor_get(cur, &k, &d, MDB_SET_RANGE);
		uint64_t page = 0;
		while (rc == MDB_SUCCESS && page < PAGE_EVENTS) {
			if (get_be64(k.mv_data) != next)
				die("position %lu is missing", (unsigned long)next);
			const unsigned char *name;
			uint32_t nl, pl;
			uint64_t version;
			parse_record(&d, &name, &nl, &version, &pl);
			view_fold(v, name, nl, version, pl);
			next++;
			page++;
			rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT);
		}
		if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
			die("mdb_cursor_get: %s", mdb_strerror(rc));
		mdb_cursor_close(cur);
		mdb_txn_abort(txn);
		count += page;
		if (page < PAGE_EVENTS)
			return count;
	}
}

static uint64_t lmdb_read_stream(void *c, const char *name, size_t len, struct view_row *row)
{
	(void)c;
	MDB_txn *txn;
	MDB_cursor *cur;
	unsigned char kbuf[MAX_NAME + 8];
	memcpy(kbuf, name, len);
	put_be64(kbuf + len, 1);
	MDB_val k = { len + 8, kbuf }, d, ek, ed;
	CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
	CHECK(mdb_cursor_open(txn, dbi_streams, &cur));
	int rc = mdb_cursor_get(cur, &k, &d, MDB_SET_RANGE);
	while (rc == MDB_SUCCESS && k.mv_size == len + 8 && memcmp(k.mv_data, name, len) == 0) {
		ek.mv_size = 8;
		ek.mv_data = d.mv_data;
		CHECK(mdb_get(txn, dbi_events, &ek, &ed));
		const unsigned char *stored;
		uint32_t nl, pl;
		uint64_t version;
		parse_record(&ed, &stored, &nl, &version, &pl);
		if (nl != len || memcmp(stored, name, len) != 0 || version != get_be64((unsigned char *)k.mv_data + len))
			die("the stream index names a record of another stream");
		row_fold(row, version, pl);
		rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT);
	}
	if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
		die("mdb_cursor_get: %s", mdb_strerror(rc));
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return row->events;
}

static const char *lmdb_describe(void *c)
{
	(void)c;
	return ",\"index\":\"naive (stream, version)\",\"sync\":\"fsync per commit\"";
}

const struct backend lmdb_backend = {
	"lmdb", lmdb_setup, lmdb_connect, lmdb_disconnect, lmdb_append, lmdb_replay, lmdb_read_stream, lmdb_describe,
};
