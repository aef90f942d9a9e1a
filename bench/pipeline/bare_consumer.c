// The baseline: a bare libbpf consumer of the same BPF object and ring buffer vigil uses, doing nothing
// but counting records (those of one pid separately). Loaded through the bpftool skeleton, the
// libbpf-bootstrap way. Runs until SIGTERM/SIGINT, then prints its counts as JSON.
//   bare_consumer EVENT_ID [PID_FILE]   (the pid to count is read from PID_FILE once it appears)
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "record.h"
#include "vigil.skel.h"

static volatile sig_atomic_t stopping;
static unsigned long long records, bytes, of_pid;
static unsigned int pid;
static const char *pid_file;

static void on_signal(int sig) { (void)sig; stopping = 1; }

static int on_record(void *ctx, void *data, size_t size) {
  (void)ctx;
  const struct vigil_record_header *h = data;
  records++;
  bytes += size;
  if (h->pid == pid) of_pid++;
  return 0;
}

static void read_pid(void) {
  FILE *f = pid_file ? fopen(pid_file, "r") : NULL;
  if (f && fscanf(f, "%u", &pid) != 1) pid = 0;
  if (f) fclose(f);
}

int main(int argc, char **argv) {
  unsigned int event_id = argc > 1 ? atoi(argv[1]) : VIGIL_EVT_CLOSE;
  pid_file = argc > 2 ? argv[2] : NULL;
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);

  struct vigil *skel = vigil__open();
  if (!skel) return fprintf(stderr, "open failed\n"), 1;
  skel->rodata->vigil_self_tgid = getpid();
  if (vigil__load(skel)) return fprintf(stderr, "load failed\n"), 1;
  unsigned int on = 1;
  bpf_map_update_elem(bpf_map__fd(skel->maps.vigil_enabled), &event_id, &on, BPF_ANY);
  struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.vigil_events), on_record, NULL, NULL);
  if (!rb || vigil__attach(skel)) return fprintf(stderr, "attach failed\n"), 1;
  printf("ready\n");
  fflush(stdout);

  while (!stopping) {
    if (!pid) read_pid();
    int n = ring_buffer__poll(rb, 10);
    if (n < 0 && n != -4) break;
    ring_buffer__consume(rb);
  }
  vigil__detach(skel);
  ring_buffer__consume(rb);

  int cpus = libbpf_num_possible_cpus();
  unsigned long long drops = 0, values[1024] = {0};
  unsigned int key = VIGIL_CNT_RINGBUF_DROPS;
  if (cpus <= 1024 && !bpf_map_lookup_elem(bpf_map__fd(skel->maps.vigil_counters), &key, values))
    for (int i = 0; i < cpus; i++) drops += values[i];
  printf("{\"records\":%llu,\"bytes\":%llu,\"ofPid\":%llu,\"kernelDrops\":%llu}\n", records, bytes, of_pid, drops);
  ring_buffer__free(rb);
  vigil__destroy(skel);
  return 0;
}
