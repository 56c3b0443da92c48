/*
 * peers_bench.c -- Vigil's peers on Vigil's benchmark workload, for scripts/bench-peers.
 *
 * Build (scripts/bench-peers does it):
 *   cc -O2 -pthread -o peers-bench Benchmarks/peers/[a-z]*.c \
 *      $(pkg-config --cflags --libs lmdb sqlite3 libpq)
 *
 * Backends (--backend):
 *   lmdb    raw C LMDB, the limit: db "events" (key: position, big-endian u64, MDB_APPEND; value:
 *           a 64-byte header, the stream name, the payload) and db "streams" (key: name ++ version
 *           big-endian -> position), the naive (stream, version) index.  Every commit fsyncs.
 *   sqlite  SQLite through its C API: WAL, synchronous=FULL, table events(position INTEGER PRIMARY
 *           KEY, stream, version, type, occurred_at, data BLOB, UNIQUE (stream, version)).
 *   pg      PostgreSQL through libpq (--conninfo): the same table (position an identity column,
 *           data bytea); appends with COPY (binary) or with a prepared INSERT, pipelined
 *           (--pg-mode copy|insert).  synchronous_commit as the server has it (on by default).
 *
 * The workload is Vigil's (`vigil bench`, Sources/EventStore/Benchmarking/SyntheticWorkload.swift):
 * --streams S streams named stream-N appended interleaved, round after round every stream gets its
 * next event in an order shuffled afresh (Fisher-Yates driven by splitmix64 seeded with --seed);
 * --payload bytes per event, type "BenchEvent", one occurredAt.
 *
 * Phases (--phase), each printing one JSON object with events_per_s:
 *   append   --events in durable transactions of --batch events (the store must be new)
 *   commit   --clients threads, each with its own connection, each appending one event per durable
 *            transaction (event i goes to stream i % S from client i % C, as `vigil bench commit`);
 *            versions are handed out in memory under a lock, as each client's aggregate would know
 *            them.  Prints p50/p99/max latency in ms.
 *   replay   every event in position order, PAGE_EVENTS per transaction or query page, folded into
 *            a view keyed by stream name (events, last version, payload bytes; versions checked
 *            dense); prints the view's totals
 *   streams  stream-0 .. stream-(S-1), each read whole in version order through the (stream,
 *            version) index; prints the same totals
 */
#include "peer.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static uint64_t parse_u64(const char *name, const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || !*s || s[0] == '-')
		die("%s: expected a non-negative integer, got '%s'", name, s);
	return (uint64_t)v;
}

static void usage(void)
{
	fputs("usage: peers-bench --backend lmdb|sqlite|pg --phase append|commit|replay|streams\n"
	      "         [--dir DIR] [--conninfo STR] [--pg-mode copy|insert] [--events N] [--streams S]\n"
	      "         [--payload P] [--batch B] [--clients C] [--seed N]\n",
	      stderr);
	exit(2);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->events = 1000000; o->streams = 10000; o->payload = 300; o->batch = 1000; o->clients = 64;
	o->seed = 42; o->pg_mode = "copy";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage();
		if (i + 1 >= argc)
			die("%s needs a value", a);
		const char *v = argv[++i];
		if (!strcmp(a, "--backend")) o->backend = v;
		else if (!strcmp(a, "--phase")) o->phase = v;
		else if (!strcmp(a, "--dir")) o->dir = v;
		else if (!strcmp(a, "--conninfo")) o->conninfo = v;
		else if (!strcmp(a, "--pg-mode")) o->pg_mode = v;
		else if (!strcmp(a, "--events")) o->events = parse_u64(a, v);
		else if (!strcmp(a, "--streams")) o->streams = parse_u64(a, v);
		else if (!strcmp(a, "--payload")) o->payload = parse_u64(a, v);
		else if (!strcmp(a, "--batch")) o->batch = parse_u64(a, v);
		else if (!strcmp(a, "--clients")) o->clients = parse_u64(a, v);
		else if (!strcmp(a, "--seed")) o->seed = parse_u64(a, v);
		else die("unknown option %s", a);
	}
	if (!o->backend || !o->phase)
		usage();
	if (o->events == 0 || o->streams == 0 || o->batch == 0 || o->clients == 0 || o->payload == 0)
		die("--events, --streams, --payload, --batch and --clients must be 1 or more");
	if (strcmp(o->pg_mode, "copy") && strcmp(o->pg_mode, "insert"))
		die("--pg-mode: expected copy or insert, got '%s'", o->pg_mode);
}

/* ---- the workload ---- */

struct workload {
	const struct opts *o;
	rng_t rng;
	uint64_t *perm, *versions, produced;
	unsigned char *payload;
	pthread_mutex_t lock; /* versions, for the commit phase's clients */
};

static void workload_init(struct workload *w, const struct opts *o)
{
	memset(w, 0, sizeof *w);
	w->o = o;
	w->rng.s = o->seed;
	w->perm = xcalloc(o->streams, sizeof *w->perm);
	w->versions = xcalloc(o->streams, sizeof *w->versions);
	w->payload = xcalloc(o->payload, 1);
	for (uint64_t k = 0; k < o->payload; k++)
		w->payload[k] = (unsigned char)(97 + k % 26); /* as Vigil's SyntheticWorkload */
	pthread_mutex_init(&w->lock, NULL);
}

/* The stream of the next event in append order. */
static uint64_t workload_next_stream(struct workload *w)
{
	uint64_t s = w->o->streams, r = w->produced++ % s;
	if (r == 0) {
		for (uint64_t k = 0; k < s; k++)
			w->perm[k] = k;
		for (uint64_t k = s - 1; k > 0; k--) {
			uint64_t j = next_u64(&w->rng) % (k + 1);
			uint64_t t = w->perm[k]; w->perm[k] = w->perm[j]; w->perm[j] = t;
		}
	}
	return w->perm[r];
}

static void make_event(struct workload *w, struct event *e, uint64_t stream, uint64_t version)
{
	e->stream_len = (size_t)snprintf(e->stream, MAX_NAME, "stream-%" PRIu64, stream);
	e->version = version;
	e->payload = w->payload;
	e->payload_len = w->o->payload;
	e->occurred_at = OCCURRED_AT;
}

static const struct backend *backend_named(const char *name)
{
	if (!strcmp(name, "lmdb")) return &lmdb_backend;
	if (!strcmp(name, "sqlite")) return &sqlite_backend;
	if (!strcmp(name, "pg")) return &pg_backend;
	die("--backend: expected lmdb, sqlite or pg, got '%s'", name);
}

static void print_head(const struct opts *o, const struct backend *b, const char *phase, uint64_t events,
		       double secs, void *c)
{
	printf("{\"tool\":\"peers-bench\",\"backend\":\"%s\",\"phase\":\"%s\",\"events\":%" PRIu64
	       ",\"seconds\":%.4f,\"events_per_s\":%.0f,\"streams\":%" PRIu64 ",\"payload\":%" PRIu64 "%s",
	       b->name, phase, events, secs, secs > 0 ? (double)events / secs : 0.0, o->streams, o->payload,
	       b->describe(c));
}

/* ---- phases ---- */

static void run_append(const struct opts *o, const struct backend *b)
{
	b->setup(o, 1);
	void *c = b->connect(o);
	struct workload w;
	workload_init(&w, o);
	struct event *batch = xcalloc(o->batch, sizeof *batch);
	double t0 = now_s();
	for (uint64_t i = 0; i < o->events;) {
		size_t n = 0;
		for (; n < o->batch && i < o->events; n++, i++) {
			uint64_t s = workload_next_stream(&w);
			make_event(&w, &batch[n], s, ++w.versions[s]);
		}
		b->append(c, batch, n);
	}
	double secs = now_s() - t0;
	print_head(o, b, "append", o->events, secs, c);
	printf(",\"batch\":%" PRIu64 "}\n", o->batch);
	b->disconnect(c);
	free(batch);
}

struct client {
	const struct opts *o;
	const struct backend *b;
	struct workload *w;
	uint64_t index;
	double *latencies; /* seconds, one per event of this client */
	uint64_t count;
};

static void *client_main(void *arg)
{
	struct client *cl = arg;
	const struct opts *o = cl->o;
	void *c = cl->b->connect(o);
	struct event e;
	for (uint64_t i = cl->index; i < o->events; i += o->clients) {
		uint64_t s = i % o->streams;
		pthread_mutex_lock(&cl->w->lock);
		uint64_t version = ++cl->w->versions[s];
		pthread_mutex_unlock(&cl->w->lock);
		make_event(cl->w, &e, s, version);
		double t0 = now_s();
		cl->b->append(c, &e, 1);
		cl->latencies[cl->count++] = now_s() - t0;
	}
	cl->b->disconnect(c);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Nearest rank, as `vigil bench commit` reports it. */
static double percentile(const double *sorted, uint64_t n, double p)
{
	uint64_t rank = (uint64_t)(p * (double)n);
	if ((double)rank < p * (double)n)
		rank++;
	if (rank < 1)
		rank = 1;
	return sorted[(rank > n ? n : rank) - 1];
}

static void run_commit(const struct opts *o, const struct backend *b)
{
	b->setup(o, 1);
	struct workload w;
	workload_init(&w, o);
	struct client *clients = xcalloc(o->clients, sizeof *clients);
	pthread_t *threads = xcalloc(o->clients, sizeof *threads);
	for (uint64_t k = 0; k < o->clients; k++) {
		clients[k] = (struct client){ o, b, &w, k, xcalloc(o->events / o->clients + 1, sizeof(double)), 0 };
	}
	double t0 = now_s();
	for (uint64_t k = 0; k < o->clients; k++)
		if (pthread_create(&threads[k], NULL, client_main, &clients[k]) != 0)
			die("pthread_create failed");
	for (uint64_t k = 0; k < o->clients; k++)
		pthread_join(threads[k], NULL);
	double secs = now_s() - t0;
	double *all = xcalloc(o->events, sizeof *all);
	uint64_t n = 0;
	for (uint64_t k = 0; k < o->clients; k++) {
		memcpy(all + n, clients[k].latencies, clients[k].count * sizeof(double));
		n += clients[k].count;
		free(clients[k].latencies);
	}
	qsort(all, n, sizeof *all, cmp_double);
	void *c = b->connect(o);
	print_head(o, b, "commit", n, secs, c);
	printf(",\"clients\":%" PRIu64 ",\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n", o->clients,
	       percentile(all, n, 0.5) * 1000, percentile(all, n, 0.99) * 1000, all[n - 1] * 1000);
	b->disconnect(c);
	free(all); free(clients); free(threads);
}

static void run_replay(const struct opts *o, const struct backend *b)
{
	b->setup(o, 0);
	void *c = b->connect(o);
	struct view v;
	view_init(&v, o->streams);
	double t0 = now_s();
	uint64_t n = b->replay(c, &v);
	double secs = now_s() - t0;
	print_head(o, b, "replay", n, secs, c);
	view_print_totals(&v);
	printf("}\n");
	view_free(&v);
	b->disconnect(c);
}

static void run_streams(const struct opts *o, const struct backend *b)
{
	b->setup(o, 0);
	void *c = b->connect(o);
	uint64_t streams = 0, events = 0, versions = 0, bytes = 0;
	char name[MAX_NAME];
	double t0 = now_s();
	for (uint64_t s = 0; s < o->streams; s++) {
		struct view_row row;
		memset(&row, 0, sizeof row);
		size_t len = (size_t)snprintf(name, sizeof name, "stream-%" PRIu64, s);
		memcpy(row.name, name, len);
		row.name_len = len;
		if (b->read_stream(c, name, len, &row) == 0)
			continue;
		streams++;
		events += row.events;
		versions += row.last_version;
		bytes += row.payload_bytes;
	}
	double secs = now_s() - t0;
	print_head(o, b, "streams", events, secs, c);
	printf(",\"view_streams\":%" PRIu64 ",\"view_events\":%" PRIu64 ",\"view_version_sum\":%" PRIu64
	       ",\"view_payload_bytes\":%" PRIu64 "}\n",
	       streams, events, versions, bytes);
	b->disconnect(c);
}

int main(int argc, char **argv)
{
	struct opts o;
	parse_args(argc, argv, &o);
	const struct backend *b = backend_named(o.backend);
	if (!strcmp(o.phase, "append")) run_append(&o, b);
	else if (!strcmp(o.phase, "commit")) run_commit(&o, b);
	else if (!strcmp(o.phase, "replay")) run_replay(&o, b);
	else if (!strcmp(o.phase, "streams")) run_streams(&o, b);
	else die("--phase: expected append, commit, replay or streams, got '%s'", o.phase);
	fflush(stdout);
	return 0;
}
