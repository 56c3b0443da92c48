/*
 * peer.h -- what every backend of peers-bench shares: the workload (the same interleaving as
 * Benchmarks/raw/raw_lmdb_bench.c and `vigil bench`), the view a replay folds events into, the
 * backend interface, and small helpers.  See peers_bench.c for the phases and the output.
 */
#ifndef PEER_H
#define PEER_H

#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MAX_NAME 32
#define PAGE_EVENTS 10000 /* events per read transaction / page of a replay, as Vigil's scan chunks */
#define EVENT_TYPE "BenchEvent"
#define OCCURRED_AT 1767225600000000LL /* 2026-01-01T00:00:00Z in microseconds, every event */

struct opts {
	const char *backend, *phase, *dir, *conninfo, *pg_mode;
	uint64_t events, streams, payload, batch, clients, seed;
};

/* One event to append. */
struct event {
	char stream[MAX_NAME];
	size_t stream_len;
	uint64_t version;
	const unsigned char *payload;
	size_t payload_len;
	int64_t occurred_at;
};

/* One stream's row of the view every replay builds: events, last version, payload bytes. */
struct view_row {
	char name[MAX_NAME];
	size_t name_len;
	uint64_t events, last_version, payload_bytes;
};

struct view {
	struct view_row *rows;
	size_t capacity, used;
};

void view_init(struct view *v, size_t expected);
void view_free(struct view *v);
/* Folds one event of stream NAME; dies if VERSION does not follow the row's last version. */
void view_fold(struct view *v, const void *name, size_t name_len, uint64_t version, size_t payload_len);
void view_print_totals(const struct view *v);
/* Folds into a single row (reading one stream); dies when versions are not dense. */
void row_fold(struct view_row *row, uint64_t version, size_t payload_len);

/*
 * A backend: a store reached through one connection per client.  `setup` runs once per process
 * (creating the schema when `create`), `connect` once per client thread.
 */
struct backend {
	const char *name;
	void (*setup)(const struct opts *o, int create);
	void *(*connect)(const struct opts *o);
	void (*disconnect)(void *c);
	/* Appends n events in one durable transaction. */
	void (*append)(void *c, const struct event *events, size_t n);
	/* Reads every event in position order, PAGE_EVENTS per transaction, into v; returns the count. */
	uint64_t (*replay)(void *c, struct view *v);
	/* Reads one stream whole, in version order, into row; returns its events. */
	uint64_t (*read_stream)(void *c, const char *name, size_t name_len, struct view_row *row);
	/* Settings worth printing with the results (a JSON fragment starting with ',' or ""). */
	const char *(*describe)(void *c);
};

extern const struct backend lmdb_backend, sqlite_backend, pg_backend;

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void *xcalloc(size_t n, size_t size);
double now_s(void);
void put_be64(unsigned char *p, uint64_t v);
uint64_t get_be64(const void *p);

/* splitmix64, as in the raw baseline and Vigil's SyntheticWorkload. */
typedef struct { uint64_t s; } rng_t;
static inline uint64_t next_u64(rng_t *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

#endif
