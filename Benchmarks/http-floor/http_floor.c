// http_floor.c — the HTTP stack's floor: N threads, each with one keep-alive HTTP/1.1 connection to
// 127.0.0.1:PORT, send `GET PATH` one request at a time for S seconds (no pipelining, like the load
// test's desks). Prints one JSON object: requests, seconds, requests per second, and this client's
// CPU per request. Only what the daemon sends is understood: a head, then Content-Length bytes.
//
//   usage: http_floor PORT THREADS SECONDS PATH      (built and run by scripts/http-floor)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { MAX_THREADS = 256 };
static int port;
static const char *path;
static volatile int stop;
static long counts[MAX_THREADS];
static int failed;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *desk(void *arg) {
    long index = (long)arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(0x7f000001);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        perror("http_floor: connect");
        failed = 1;
        return 0;
    }
    char request[512];
    int length = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", path, port);
    static __thread char buffer[1 << 16];
    while (!stop) {
        if (write(fd, request, length) != length) { failed = 1; break; }
        int got = 0, need = -1;
        while (need < 0 || got < need) {
            int n = read(fd, buffer + got, sizeof buffer - 1 - got);
            if (n <= 0) { failed = 1; stop = 1; break; }
            got += n;
            buffer[got] = 0;
            char *end = memmem(buffer, got, "\r\n\r\n", 4);
            if (end && need < 0) {
                char *field = strcasestr(buffer, "\r\ncontent-length:");
                need = (int)(end - buffer) + 4 + (field && field < end ? atoi(field + 17) : 0);
            }
        }
        if (stop && need >= 0 && got < need) break;
        if (strncmp(buffer, "HTTP/1.1 2", 10) != 0) { fprintf(stderr, "http_floor: not 2xx: %.40s\n", buffer); failed = 1; stop = 1; break; }
        counts[index]++;
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: http_floor PORT THREADS SECONDS PATH\n"); return 2; }
    port = atoi(argv[1]);
    int threads = atoi(argv[2]), seconds = atoi(argv[3]);
    path = argv[4];
    if (threads < 1 || threads > MAX_THREADS || seconds < 1) { fprintf(stderr, "http_floor: 1-256 threads, 1+ s\n"); return 2; }
    pthread_t thread[MAX_THREADS];
    double start = now();
    for (long i = 0; i < threads; i++) pthread_create(&thread[i], 0, desk, (void *)i);
    sleep(seconds);
    stop = 1;
    for (int i = 0; i < threads; i++) pthread_join(thread[i], 0);
    double elapsed = now() - start;
    long total = 0;
    for (int i = 0; i < threads; i++) total += counts[i];
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
    printf("{\"threads\":%d,\"requests\":%ld,\"seconds\":%.2f,\"requests_per_s\":%.0f,\"client_cpu_ms_per_request\":%.4f}\n",
           threads, total, elapsed, total / elapsed, total ? 1000 * cpu / total : 0.0);
    return failed ? 1 : 0;
}
