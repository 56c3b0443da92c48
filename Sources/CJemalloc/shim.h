#ifndef VIGIL_CJEMALLOC_SHIM_H
#define VIGIL_CJEMALLOC_SHIM_H
// Debian's libjemalloc-dev (5.3.0), found through pkg-config `jemalloc`. Linked into the vigil
// binary, jemalloc's malloc and free replace glibc's for the whole process (Swift's runtime
// allocates through them): see Sources/vigil/Support/Allocator.swift.
#include <jemalloc/jemalloc.h>
#include <stdint.h>
#include <stdlib.h>

// jemalloc's version string, or NULL when mallctl does not answer.
static inline const char *vigil_jemalloc_version(void) {
    const char *version = NULL;
    size_t size = sizeof(version);
    if (mallctl("version", &version, &size, NULL, 0) != 0) return NULL;
    return version;
}

// Whether jemalloc served this process's malloc: its count of bytes this thread allocated grows
// by at least `bytes` across a malloc of `bytes` (0 when it cannot tell, or glibc served it).
static inline int vigil_jemalloc_serves_malloc(size_t bytes) {
    uint64_t before = 0, after = 0;
    size_t size = sizeof(uint64_t);
    if (mallctl("thread.allocated", &before, &size, NULL, 0) != 0) return 0;
    void *volatile block = malloc(bytes);
    size = sizeof(uint64_t);
    int read = mallctl("thread.allocated", &after, &size, NULL, 0);
    free(block);
    return read == 0 && block != NULL && after - before >= bytes;
}
#endif
