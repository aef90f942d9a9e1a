// One-thread syscall generator: N × close(-1) (a captured syscall: one record each), then prints
// {"syscalls":N,"seconds":S} so the harness knows the rate it offered. It first sleeps DELAY_MS, so
// the consumers can learn its pid before the first syscall.
//   generator N [DELAY_MS]
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  if (argc > 2) usleep(atol(argv[2]) * 1000);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++) close(-1);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("{\"syscalls\":%ld,\"seconds\":%.6f}\n", n, (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
  return 0;
}
