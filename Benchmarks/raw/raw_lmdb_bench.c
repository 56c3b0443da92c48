/*
 * raw_lmdb_bench.c -- raw C LMDB baseline for scripts/bench-compare.
 *
 * Build:
 *   cc -O2 -o Benchmarks/raw/raw-lmdb-bench Benchmarks/raw/raw_lmdb_bench.c \
 *      $(pkg-config --cflags --libs lmdb)
 * (or `make -C Benchmarks/raw`).
 *
 * The workload is specified exactly so that `vigil bench append/scan` can
 * reproduce it event for event:
 *
 * PRNG: splitmix64.  The interleaving generator is seeded with --seed; the
 * event-id generator (--ids) is a separate splitmix64 seeded with
 * (seed ^ 0x5EED1D5EED1D5EEDull), so choosing --ids never changes the
 * interleaving.
 *
 * --pattern rounds (default):
 *   Event i (0-based) belongs to stream perm[i % S].  Whenever i % S == 0 the
 *   permutation is reset to the identity 0..S-1 and shuffled with
 *   Fisher-Yates:  for k = S-1 down to 1: j = next() % (k+1); swap(perm[k],
 *   perm[j]).
 * --pattern births:
 *   W = --window (64) slots; slot w initially holds stream w with
 *   L = --lifetime (20) events left; the next stream to be born is W.  For
 *   each event: w = next() % W; the event goes to the stream in slot w; if
 *   that stream has now received L events, a new stream (next id) is born
 *   into slot w.  --streams is ignored.  ~events/L + W streams in total.
 *
 * Stream names are "stream-%d" of the stream id above.  Versions per stream
 * start at 1, global positions start at 1.  The dense "stream number" used by
 * the stream-major/version-major/dupsort layouts is assigned in order of first
 * sight, starting at 1.  Stream state (number, version) is kept in memory:
 * the append phase never reads from LMDB.
 *
 * Event record (db "events", key = position as big-endian u64, MDB_APPEND):
 *   64-byte header: u64 position, u64 version, u64 stream number, u64 event
 *   counter (0-based), u32 name length, u32 payload length, 24 zero bytes
 *   (all native endian); then the stream name bytes; then P payload bytes
 *   (byte k = (k * 31 + 7) & 0xff, except the last byte = position & 0xff).
 *
 * Indexes (--index), all integers big-endian:
 *   none          only "events"
 *   naive         "streams": name bytes ++ u64 version -> u64 position
 *   stream-major  "streams": u64 number ++ u64 version -> u64 position, + heads
 *   version-major "streams": u64 version ++ u64 number -> u64 position, + heads
 *   heads-only    heads only
 *   dupsort       "streams" (MDB_DUPSORT|MDB_DUPFIXED): key u64 number,
 *                 dup value u64 version ++ u64 position, MDB_APPENDDUP; + heads
 *   heads db "heads": name bytes -> u64 number ++ u64 last version ++
 *                 u64 last position, put on every event.
 * Event ids (--ids), db "eventIds": 16-byte id -> u64 position (BE)
 *   v7: bytes 0-5 = ms timestamp (1700000000000 + i/1000, BE), bytes 6-7 =
 *       0x7000 | (i % 1000) (12-bit in-ms counter), bytes 8-15 = random with
 *       the variant bits 10xxxxxx in byte 8.  Strictly increasing in insert
 *       order; put with MDB_APPEND.
 *   v4: 16 random bytes (version 4 / variant bits set), plain put.
 *
 * Durability: default env flags + MDB_NOTLS; one write txn per --batch
 * events, each committed (fsync).
 *
 * Scan: one read txn per 10,000 events, cursor MDB_NEXT; the next txn
 * re-positions with MDB_SET_RANGE(last key + 1).  Each record's first 8
 * header bytes and last payload byte are folded into a checksum.
 *
 * Output: one JSON object per phase on stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HEADER_SIZE 64
#define SCAN_TXN_EVENTS 10000
#define MAX_NAME 32

static void die_lmdb(const char *what, int rc)
{
	fprintf(stderr, "raw-lmdb-bench: %s: %s (%d)\n", what, mdb_strerror(rc), rc);
	exit(1);
}

#define CHECK(call) do { int rc_ = (call); if (rc_ != MDB_SUCCESS) die_lmdb(#call, rc_); } while (0)

static void die(const char *msg)
{
	fprintf(stderr, "raw-lmdb-bench: %s\n", msg);
	exit(1);
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);
	if (!p)
		die("out of memory");
	return p;
}

/* ---- PRNG ---- */
typedef struct { uint64_t s; } rng_t;

static inline uint64_t next_u64(rng_t *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline void put_be64(unsigned char *p, uint64_t v)
{
	for (int k = 7; k >= 0; k--) {
		p[k] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- options ---- */
enum index_mode { IDX_NONE, IDX_NAIVE, IDX_STREAM_MAJOR, IDX_VERSION_MAJOR, IDX_HEADS_ONLY, IDX_DUPSORT };
static const char *index_names[] = { "none", "naive", "stream-major", "version-major", "heads-only", "dupsort" };
enum ids_mode { IDS_NONE, IDS_V7, IDS_V4 };
static const char *ids_names[] = { "none", "v7", "v4" };
enum pattern { PAT_ROUNDS, PAT_BIRTHS };
static const char *pattern_names[] = { "rounds", "births" };

struct opts {
	uint64_t events, streams, payload, batch, map_size, seed, window, lifetime, read_streams;
	const char *dir;
	int index, ids, pattern, do_append, do_scan, do_read;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: raw-lmdb-bench --dir DIR [options]\n"
		"  --events N          events to append (default 1000000)\n"
		"  --streams S         streams for --pattern rounds (default 10000)\n"
		"  --payload P         payload bytes per event (default 300)\n"
		"  --batch B           events per write txn (default 1000)\n"
		"  --map-size BYTES    LMDB map size (default 8 GiB)\n"
		"  --seed N            PRNG seed (default 42)\n"
		"  --index MODE        none|naive|stream-major|version-major|heads-only|dupsort (default none)\n"
		"  --ids MODE          none|v7|v4 (default none)\n"
		"  --pattern P         rounds|births (default rounds)\n"
		"  --window W          births: live streams (default 64)\n"
		"  --lifetime L        births: events per stream (default 20)\n"
		"  --mode M            append|scan|both|read (default both)\n"
		"  --read-streams K    also read K PRNG-chosen streams forward from version 1\n"
		"                      through the stream index (phase \"stream-read\"; default 0,\n"
		"                      1000 with --mode read; --index must match the store)\n");
}

static uint64_t parse_u64(const char *name, const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || !*s || s[0] == '-') {
		fprintf(stderr, "raw-lmdb-bench: bad value for %s: '%s'\n", name, s);
		exit(2);
	}
	return (uint64_t)v;
}

static int parse_enum(const char *name, const char *s, const char **names, int n)
{
	for (int k = 0; k < n; k++)
		if (strcmp(s, names[k]) == 0)
			return k;
	fprintf(stderr, "raw-lmdb-bench: bad value for %s: '%s'\n", name, s);
	exit(2);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->events = 1000000; o->streams = 10000; o->payload = 300; o->batch = 1000;
	o->map_size = 8ull << 30; o->seed = 42; o->window = 64; o->lifetime = 20;
	o->index = IDX_NONE; o->ids = IDS_NONE; o->pattern = PAT_ROUNDS;
	const char *mode = "both";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); exit(0); }
		if (i + 1 >= argc) { fprintf(stderr, "raw-lmdb-bench: missing value for %s\n", a); usage(stderr); exit(2); }
		const char *v = argv[++i];
		if (!strcmp(a, "--events")) o->events = parse_u64(a, v);
		else if (!strcmp(a, "--streams")) o->streams = parse_u64(a, v);
		else if (!strcmp(a, "--payload")) o->payload = parse_u64(a, v);
		else if (!strcmp(a, "--batch")) o->batch = parse_u64(a, v);
		else if (!strcmp(a, "--map-size")) o->map_size = parse_u64(a, v);
		else if (!strcmp(a, "--seed")) o->seed = parse_u64(a, v);
		else if (!strcmp(a, "--window")) o->window = parse_u64(a, v);
		else if (!strcmp(a, "--lifetime")) o->lifetime = parse_u64(a, v);
		else if (!strcmp(a, "--read-streams")) o->read_streams = parse_u64(a, v);
		else if (!strcmp(a, "--dir")) o->dir = v;
		else if (!strcmp(a, "--index")) o->index = parse_enum(a, v, index_names, 6);
		else if (!strcmp(a, "--ids")) o->ids = parse_enum(a, v, ids_names, 3);
		else if (!strcmp(a, "--pattern")) o->pattern = parse_enum(a, v, pattern_names, 2);
		else if (!strcmp(a, "--mode")) mode = v;
		else { fprintf(stderr, "raw-lmdb-bench: unknown option %s\n", a); usage(stderr); exit(2); }
	}
	if (!o->dir) { fprintf(stderr, "raw-lmdb-bench: --dir is required\n"); usage(stderr); exit(2); }
	if (!strcmp(mode, "append")) o->do_append = 1;
	else if (!strcmp(mode, "scan")) o->do_scan = 1;
	else if (!strcmp(mode, "both")) o->do_append = o->do_scan = 1;
	else if (!strcmp(mode, "read")) { o->do_read = 1; if (!o->read_streams) o->read_streams = 1000; }
	else { fprintf(stderr, "raw-lmdb-bench: bad value for --mode: '%s'\n", mode); exit(2); }
	if (o->batch == 0) die("--batch must be > 0");
	if (o->pattern == PAT_ROUNDS && o->streams == 0) die("--streams must be > 0");
	if (o->pattern == PAT_BIRTHS && (o->window == 0 || o->lifetime == 0)) die("--window and --lifetime must be > 0");
	if (o->payload == 0) die("--payload must be > 0");
}

/* ---- environment ---- */
static void remove_file(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (unlink(path) != 0 && errno != ENOENT) {
		perror(path);
		exit(1);
	}
}

static MDB_env *open_env(const struct opts *o, unsigned extra_flags)
{
	MDB_env *env;
	CHECK(mdb_env_create(&env));
	CHECK(mdb_env_set_maxdbs(env, 8));
	CHECK(mdb_env_set_mapsize(env, (size_t)o->map_size));
	CHECK(mdb_env_open(env, o->dir, MDB_NOTLS | extra_flags, 0644));
	return env;
}

static long long file_size(const char *dir, const char *name)
{
	char path[4096];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (stat(path, &st) != 0)
		return -1;
	return (long long)st.st_size;
}

/* ---- append ---- */
static void run_append(const struct opts *o)
{
	if (mkdir(o->dir, 0755) != 0 && errno != EEXIST) {
		perror(o->dir);
		exit(1);
	}
	remove_file(o->dir, "data.mdb");
	remove_file(o->dir, "lock.mdb");
	MDB_env *env = open_env(o, 0);

	int want_index = o->index != IDX_NONE && o->index != IDX_HEADS_ONLY;
	int want_heads = o->index != IDX_NONE && o->index != IDX_NAIVE;
	MDB_dbi dbi_events, dbi_streams = 0, dbi_heads = 0, dbi_ids = 0;
	MDB_txn *txn;
	CHECK(mdb_txn_begin(env, NULL, 0, &txn));
	CHECK(mdb_dbi_open(txn, "events", MDB_CREATE, &dbi_events));
	if (want_index) {
		unsigned f = MDB_CREATE;
		if (o->index == IDX_DUPSORT)
			f |= MDB_DUPSORT | MDB_DUPFIXED;
		CHECK(mdb_dbi_open(txn, "streams", f, &dbi_streams));
	}
	if (want_heads)
		CHECK(mdb_dbi_open(txn, "heads", MDB_CREATE, &dbi_heads));
	if (o->ids != IDS_NONE)
		CHECK(mdb_dbi_open(txn, "eventIds", MDB_CREATE, &dbi_ids));
	CHECK(mdb_txn_commit(txn));

	/* Interleaving state. */
	rng_t rng = { o->seed };
	rng_t idrng = { o->seed ^ 0x5EED1D5EED1D5EEDull };
	uint64_t max_streams;
	uint64_t *perm = NULL, *slot_stream = NULL, *slot_left = NULL, next_born = 0;
	if (o->pattern == PAT_ROUNDS) {
		max_streams = o->streams;
		perm = xcalloc(max_streams, sizeof *perm);
	} else {
		max_streams = o->window + o->events / o->lifetime + 1;
		slot_stream = xcalloc(o->window, sizeof *slot_stream);
		slot_left = xcalloc(o->window, sizeof *slot_left);
		for (uint64_t w = 0; w < o->window; w++) {
			slot_stream[w] = w;
			slot_left[w] = o->lifetime;
		}
		next_born = o->window;
	}
	uint64_t *version = xcalloc(max_streams, sizeof *version);
	uint64_t *number = xcalloc(max_streams, sizeof *number); /* 0 = unseen */
	uint64_t next_number = 1;

	size_t rec_cap = HEADER_SIZE + MAX_NAME + o->payload;
	unsigned char *rec = xcalloc(rec_cap, 1);
	unsigned char *filler = xcalloc(o->payload, 1);
	for (uint64_t k = 0; k < o->payload; k++)
		filler[k] = (unsigned char)((k * 31 + 7) & 0xff);

	unsigned char ekey[8], ikey[MAX_NAME + 16], ival[24], hval[24], idkey[16], pval[8];
	char name[MAX_NAME];

	double t0 = now_s();
	uint64_t i = 0;
	while (i < o->events) {
		uint64_t end = i + o->batch;
		if (end > o->events)
			end = o->events;
		CHECK(mdb_txn_begin(env, NULL, 0, &txn));
		for (; i < end; i++) {
			/* pick the stream */
			uint64_t s;
			if (o->pattern == PAT_ROUNDS) {
				uint64_t r = i % o->streams;
				if (r == 0) {
					for (uint64_t k = 0; k < o->streams; k++)
						perm[k] = k;
					for (uint64_t k = o->streams - 1; k > 0; k--) {
						uint64_t j = next_u64(&rng) % (k + 1);
						uint64_t t = perm[k]; perm[k] = perm[j]; perm[j] = t;
					}
				}
				s = perm[r];
			} else {
				uint64_t w = next_u64(&rng) % o->window;
				s = slot_stream[w];
				if (--slot_left[w] == 0) {
					slot_stream[w] = next_born++;
					slot_left[w] = o->lifetime;
				}
			}
			if (number[s] == 0)
				number[s] = next_number++;
			uint64_t ver = ++version[s];
			uint64_t pos = i + 1;
			uint64_t num = number[s];
			int nlen = snprintf(name, sizeof name, "stream-%" PRIu64, s);

			/* record */
			uint32_t nl32 = (uint32_t)nlen, pl32 = (uint32_t)o->payload;
			memcpy(rec + 0, &pos, 8);
			memcpy(rec + 8, &ver, 8);
			memcpy(rec + 16, &num, 8);
			memcpy(rec + 24, &i, 8);
			memcpy(rec + 32, &nl32, 4);
			memcpy(rec + 36, &pl32, 4);
			memcpy(rec + HEADER_SIZE, name, (size_t)nlen);
			unsigned char *pl = rec + HEADER_SIZE + nlen;
			memcpy(pl, filler, o->payload);
			pl[o->payload - 1] = (unsigned char)(pos & 0xff);
			put_be64(ekey, pos);
			put_be64(pval, pos);
			MDB_val k = { 8, ekey }, d = { HEADER_SIZE + (size_t)nlen + o->payload, rec };
			CHECK(mdb_put(txn, dbi_events, &k, &d, MDB_APPEND));

			/* stream index */
			MDB_val ik, iv;
			switch (o->index) {
			case IDX_NAIVE:
				memcpy(ikey, name, (size_t)nlen);
				put_be64(ikey + nlen, ver);
				ik.mv_size = (size_t)nlen + 8; ik.mv_data = ikey;
				iv.mv_size = 8; iv.mv_data = pval;
				CHECK(mdb_put(txn, dbi_streams, &ik, &iv, 0));
				break;
			case IDX_STREAM_MAJOR:
			case IDX_VERSION_MAJOR:
				if (o->index == IDX_STREAM_MAJOR) {
					put_be64(ikey, num); put_be64(ikey + 8, ver);
				} else {
					put_be64(ikey, ver); put_be64(ikey + 8, num);
				}
				ik.mv_size = 16; ik.mv_data = ikey;
				iv.mv_size = 8; iv.mv_data = pval;
				CHECK(mdb_put(txn, dbi_streams, &ik, &iv, 0));
				break;
			case IDX_DUPSORT:
				put_be64(ikey, num);
				put_be64(ival, ver); put_be64(ival + 8, pos);
				ik.mv_size = 8; ik.mv_data = ikey;
				iv.mv_size = 16; iv.mv_data = ival;
				CHECK(mdb_put(txn, dbi_streams, &ik, &iv, MDB_APPENDDUP));
				break;
			default:
				break;
			}
			if (want_heads) {
				put_be64(hval, num); put_be64(hval + 8, ver); put_be64(hval + 16, pos);
				MDB_val hk = { (size_t)nlen, name }, hv = { 24, hval };
				CHECK(mdb_put(txn, dbi_heads, &hk, &hv, 0));
			}

			/* event ids */
			if (o->ids != IDS_NONE) {
				unsigned flags = 0;
				if (o->ids == IDS_V7) {
					uint64_t ms = 1700000000000ull + i / 1000;
					uint64_t hi = (ms << 16) | 0x7000u | (i % 1000);
					uint64_t lo = (next_u64(&idrng) >> 2) | 0x8000000000000000ull;
					put_be64(idkey, hi); put_be64(idkey + 8, lo);
					flags = MDB_APPEND;
				} else {
					uint64_t a = next_u64(&idrng), b = next_u64(&idrng);
					put_be64(idkey, a); put_be64(idkey + 8, b);
					idkey[6] = (unsigned char)((idkey[6] & 0x0f) | 0x40);
					idkey[8] = (unsigned char)((idkey[8] & 0x3f) | 0x80);
				}
				MDB_val xk = { 16, idkey }, xv = { 8, pval };
				CHECK(mdb_put(txn, dbi_ids, &xk, &xv, flags));
			}
		}
		CHECK(mdb_txn_commit(txn)); /* frees txn even on failure */
	}
	double secs = now_s() - t0;

	MDB_envinfo info;
	MDB_stat est;
	CHECK(mdb_env_info(env, &info));
	CHECK(mdb_env_stat(env, &est));
	long long used = (long long)(info.me_last_pgno + 1) * est.ms_psize;
	long long fsz = file_size(o->dir, "data.mdb");
	uint64_t nstreams = next_number - 1;

	printf("{\"tool\":\"raw-c\",\"phase\":\"append\",\"index\":\"%s\",\"ids\":\"%s\",\"pattern\":\"%s\","
	       "\"events\":%" PRIu64 ",\"streams\":%" PRIu64 ",\"payload\":%" PRIu64 ",\"batch\":%" PRIu64 ","
	       "\"seconds\":%.4f,\"events_per_s\":%.0f,\"data_mdb_bytes\":%lld,\"used_bytes\":%lld}\n",
	       index_names[o->index], ids_names[o->ids], pattern_names[o->pattern],
	       o->events, nstreams, o->payload, o->batch,
	       secs, secs > 0 ? (double)o->events / secs : 0.0, fsz, used);
	fflush(stdout);

	free(perm); free(slot_stream); free(slot_left); free(version); free(number);
	free(rec); free(filler);
	mdb_env_close(env);
}

/* ---- scan ---- */
static void run_scan(const struct opts *o)
{
	MDB_env *env = open_env(o, MDB_RDONLY);
	MDB_dbi dbi;
	MDB_txn *txn;
	CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
	CHECK(mdb_dbi_open(txn, "events", 0, &dbi));
	CHECK(mdb_txn_commit(txn)); /* commit (not abort) keeps the dbi handle */

	uint64_t count = 0, sum = 0, last_pos = 0;
	int done = 0, first = 1;
	double t0 = now_s();
	while (!done) {
		MDB_cursor *cur;
		MDB_val k, d;
		unsigned char kbuf[8];
		CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
		CHECK(mdb_cursor_open(txn, dbi, &cur));
		int rc;
		if (first) {
			rc = mdb_cursor_get(cur, &k, &d, MDB_FIRST);
			first = 0;
		} else {
			put_be64(kbuf, last_pos + 1);
			k.mv_size = 8; k.mv_data = kbuf;
			rc = mdb_cursor_get(cur, &k, &d, MDB_SET_RANGE);
		}
		uint64_t n = 0;
		while (rc == MDB_SUCCESS) {
			if (k.mv_size != 8 || d.mv_size < HEADER_SIZE + 1)
				die("scan: malformed record");
			const unsigned char *kp = k.mv_data, *dp = d.mv_data;
			uint64_t h;
			memcpy(&h, dp, 8);
			sum += h ^ dp[d.mv_size - 1];
			uint64_t pos = 0;
			for (int b = 0; b < 8; b++)
				pos = (pos << 8) | kp[b];
			last_pos = pos;
			count++;
			if (++n == SCAN_TXN_EVENTS)
				break;
			rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT);
		}
		if (rc == MDB_NOTFOUND)
			done = 1;
		else if (rc != MDB_SUCCESS)
			die_lmdb("mdb_cursor_get", rc);
		mdb_cursor_close(cur);
		mdb_txn_abort(txn);
	}
	double secs = now_s() - t0;
	printf("{\"tool\":\"raw-c\",\"phase\":\"scan\",\"index\":\"%s\",\"ids\":\"%s\",\"pattern\":\"%s\","
	       "\"events\":%" PRIu64 ",\"seconds\":%.4f,\"events_per_s\":%.0f,\"checksum\":%" PRIu64 "}\n",
	       index_names[o->index], ids_names[o->ids], pattern_names[o->pattern],
	       count, secs, secs > 0 ? (double)count / secs : 0.0, sum);
	fflush(stdout);
	mdb_env_close(env);
}

/* ---- stream read (layout evaluation) ----
 * Reads K streams (ids drawn with splitmix64 seeded seed ^ 0x8EAD8EAD8EAD8EADull,
 * id = next() % S for rounds, % (events / lifetime) for births) forward from
 * version 1 to their end, one read txn per stream: resolve the stream
 * (heads db for numbered layouts), walk the index, and fetch every event
 * record by position.  Layouts: naive/stream-major = one cursor range scan,
 * dupsort = GET_BOTH_RANGE + NEXT_DUP, version-major = one point lookup per
 * version.  heads-only/none cannot do it. */
static uint64_t get_be64(const void *p)
{
	const unsigned char *b = p;
	uint64_t v = 0;
	for (int k = 0; k < 8; k++)
		v = (v << 8) | b[k];
	return v;
}

static void run_stream_read(const struct opts *o)
{
	if (o->index == IDX_NONE || o->index == IDX_HEADS_ONLY)
		die("stream read needs --index naive|stream-major|version-major|dupsort");
	MDB_env *env = open_env(o, MDB_RDONLY);
	MDB_dbi dbi_events, dbi_streams, dbi_heads = 0;
	MDB_txn *txn;
	CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
	CHECK(mdb_dbi_open(txn, "events", 0, &dbi_events));
	CHECK(mdb_dbi_open(txn, "streams", 0, &dbi_streams));
	if (o->index != IDX_NAIVE)
		CHECK(mdb_dbi_open(txn, "heads", 0, &dbi_heads));
	CHECK(mdb_txn_commit(txn));

	rng_t rng = { o->seed ^ 0x8EAD8EAD8EAD8EADull };
	uint64_t range = o->pattern == PAT_ROUNDS ? o->streams : o->events / o->lifetime;
	if (range == 0)
		range = 1;
	uint64_t nevents = 0, nstreams = 0, sum = 0;
	char name[MAX_NAME];
	unsigned char kbuf[MAX_NAME + 16], vbuf[16], pbuf[8];
	double t0 = now_s();
	for (uint64_t q = 0; q < o->read_streams; q++) {
		uint64_t s = next_u64(&rng) % range;
		int nlen = snprintf(name, sizeof name, "stream-%" PRIu64, s);
		MDB_cursor *cur;
		MDB_val k, d, ek, ed;
		int rc;
		CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
		CHECK(mdb_cursor_open(txn, dbi_streams, &cur));
		uint64_t num = 0, last = 0, n = 0;
		if (o->index != IDX_NAIVE) {
			MDB_val hk = { (size_t)nlen, name }, hv;
			rc = mdb_get(txn, dbi_heads, &hk, &hv);
			if (rc == MDB_NOTFOUND)
				goto next;
			if (rc != MDB_SUCCESS)
				die_lmdb("mdb_get(heads)", rc);
			num = get_be64(hv.mv_data);
			last = get_be64((unsigned char *)hv.mv_data + 8);
		}
#define FETCH(posp) do { \
			ek.mv_size = 8; ek.mv_data = (void *)(posp); \
			CHECK(mdb_get(txn, dbi_events, &ek, &ed)); \
			sum += ((const unsigned char *)ed.mv_data)[ed.mv_size - 1]; \
			n++; \
		} while (0)
		switch (o->index) {
		case IDX_NAIVE:
		case IDX_STREAM_MAJOR: {
			size_t plen;
			if (o->index == IDX_NAIVE) {
				memcpy(kbuf, name, (size_t)nlen);
				put_be64(kbuf + nlen, 1);
				plen = (size_t)nlen;
			} else {
				put_be64(kbuf, num);
				put_be64(kbuf + 8, 1);
				plen = 8;
			}
			k.mv_size = plen + 8; k.mv_data = kbuf;
			rc = mdb_cursor_get(cur, &k, &d, MDB_SET_RANGE);
			while (rc == MDB_SUCCESS && k.mv_size == plen + 8 && memcmp(k.mv_data, kbuf, plen) == 0) {
				FETCH(d.mv_data);
				rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT);
			}
			if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
				die_lmdb("mdb_cursor_get", rc);
			break;
		}
		case IDX_DUPSORT:
			put_be64(kbuf, num);
			put_be64(vbuf, 1); put_be64(vbuf + 8, 0);
			k.mv_size = 8; k.mv_data = kbuf; d.mv_size = 16; d.mv_data = vbuf;
			rc = mdb_cursor_get(cur, &k, &d, MDB_GET_BOTH_RANGE);
			while (rc == MDB_SUCCESS) {
				FETCH((unsigned char *)d.mv_data + 8);
				rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT_DUP);
			}
			if (rc != MDB_NOTFOUND)
				die_lmdb("mdb_cursor_get", rc);
			break;
		case IDX_VERSION_MAJOR:
			for (uint64_t ver = 1; ver <= last; ver++) {
				put_be64(kbuf, ver); put_be64(kbuf + 8, num);
				k.mv_size = 16; k.mv_data = kbuf;
				CHECK(mdb_cursor_get(cur, &k, &d, MDB_SET_KEY));
				memcpy(pbuf, d.mv_data, 8);
				FETCH(pbuf);
			}
			break;
		default:
			break;
		}
#undef FETCH
		nstreams++;
		nevents += n;
	next:
		mdb_cursor_close(cur);
		mdb_txn_abort(txn);
	}
	double secs = now_s() - t0;
	printf("{\"tool\":\"raw-c\",\"phase\":\"stream-read\",\"index\":\"%s\",\"ids\":\"%s\",\"pattern\":\"%s\","
	       "\"streams_read\":%" PRIu64 ",\"events\":%" PRIu64 ",\"seconds\":%.4f,\"events_per_s\":%.0f,"
	       "\"checksum\":%" PRIu64 "}\n",
	       index_names[o->index], ids_names[o->ids], pattern_names[o->pattern],
	       nstreams, nevents, secs, secs > 0 ? (double)nevents / secs : 0.0, sum);
	fflush(stdout);
	mdb_env_close(env);
}

int main(int argc, char **argv)
{
	struct opts o;
	parse_args(argc, argv, &o);
	if (o.do_append)
		run_append(&o);
	if (o.do_scan)
		run_scan(&o);
	if (o.read_streams)
		run_stream_read(&o);
	return 0;
}
