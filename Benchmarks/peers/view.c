/* view.c -- the replay's view (an open-addressing hash map keyed by stream name) and helpers. */
#include "peer.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("peers-bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die("out of memory");
	return p;
}

double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void put_be64(unsigned char *p, uint64_t v)
{
	for (int k = 7; k >= 0; k--) {
		p[k] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

uint64_t get_be64(const void *p)
{
	const unsigned char *b = p;
	uint64_t v = 0;
	for (int k = 0; k < 8; k++)
		v = (v << 8) | b[k];
	return v;
}

static uint64_t hash_name(const void *name, size_t len)
{
	const unsigned char *b = name;
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	for (size_t k = 0; k < len; k++)
		h = (h ^ b[k]) * 0x100000001b3ull;
	return h;
}

void view_init(struct view *v, size_t expected)
{
	size_t cap = 64;
	while (cap < expected * 2)
		cap <<= 1;
	v->rows = xcalloc(cap, sizeof *v->rows);
	v->capacity = cap;
	v->used = 0;
}

void view_free(struct view *v)
{
	free(v->rows);
	v->rows = NULL;
	v->capacity = v->used = 0;
}

static struct view_row *slot(struct view_row *rows, size_t cap, const void *name, size_t len)
{
	size_t i = (size_t)hash_name(name, len) & (cap - 1);
	while (rows[i].name_len != 0 && (rows[i].name_len != len || memcmp(rows[i].name, name, len) != 0))
		i = (i + 1) & (cap - 1);
	return &rows[i];
}

static void grow(struct view *v)
{
	size_t cap = v->capacity * 2;
	struct view_row *rows = xcalloc(cap, sizeof *rows);
	for (size_t k = 0; k < v->capacity; k++)
		if (v->rows[k].name_len)
			*slot(rows, cap, v->rows[k].name, v->rows[k].name_len) = v->rows[k];
	free(v->rows);
	v->rows = rows;
	v->capacity = cap;
}

void row_fold(struct view_row *row, uint64_t version, size_t payload_len)
{
	if (version != row->last_version + 1)
		die("stream %.*s: version %" PRIu64 " follows %" PRIu64 ": the stream is not dense",
		    (int)row->name_len, row->name, version, row->last_version);
	row->events++;
	row->last_version = version;
	row->payload_bytes += payload_len;
}

void view_fold(struct view *v, const void *name, size_t len, uint64_t version, size_t payload_len)
{
	if (len == 0 || len >= MAX_NAME)
		die("stream name of %zu bytes: expected 1 to %d", len, MAX_NAME - 1);
	if ((v->used + 1) * 2 > v->capacity)
		grow(v);
	struct view_row *row = slot(v->rows, v->capacity, name, len);
	if (row->name_len == 0) {
		memcpy(row->name, name, len);
		row->name_len = len;
		v->used++;
	}
	row_fold(row, version, payload_len);
}

void view_print_totals(const struct view *v)
{
	uint64_t streams = 0, events = 0, versions = 0, bytes = 0;
	for (size_t k = 0; k < v->capacity; k++) {
		const struct view_row *r = &v->rows[k];
		if (!r->name_len)
			continue;
		streams++;
		events += r->events;
		versions += r->last_version;
		bytes += r->payload_bytes;
	}
	printf(",\"view_streams\":%" PRIu64 ",\"view_events\":%" PRIu64 ",\"view_version_sum\":%" PRIu64
	       ",\"view_payload_bytes\":%" PRIu64,
	       streams, events, versions, bytes);
}
