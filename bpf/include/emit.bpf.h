/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building one record in the per-CPU scratch buffer and sending it. Arguments are appended with the
 * w_* writers; an argument that does not fit is cut (VIGIL_F_TRUNCATED), never written past the end.
 * Every record that cannot be sent is counted in vigil_counters (VIGIL_CNT_RINGBUF_DROPS).
 */
#ifndef VIGIL_EMIT_BPF_H
#define VIGIL_EMIT_BPF_H

#include "maps.bpf.h"

#define VIGIL_OFF_MASK (VIGIL_RECORD_MAX - 1)
/* Hides a value's known range from clang, so the mask after it is kept for the verifier to see. */
#define vigil_opaque(v) asm volatile("" : "+r"(v))

/*
 * Where the record under construction stands. The buffer itself is looked up again where it is used
 * (an inlined array access) because the writer is passed to global subprograms, which the verifier
 * checks once each, and a map pointer stored in memory would reach them as a plain number.
 */
struct vigil_writer {
	__u32 off;
	__u8 nargs;
	__u8 flags;
	__u16 reserved;
};

static __always_inline __u8 *scratch(void)
{
	__u32 zero = 0;
	struct vigil_scratch *s = bpf_map_lookup_elem(&vigil_scratch_map, &zero);
	return s ? s->data : NULL;
}

static __always_inline void w_begin(struct vigil_writer *w)
{
	w->off = VIGIL_HEADER_SIZE;
	w->nargs = 0;
	w->flags = 0;
	w->reserved = 0;
}

/* Room left for one more argument's payload, 0 when not even its header fits. */
static __always_inline __u32 w_room(struct vigil_writer *w)
{
	if (w->off + VIGIL_ARG_HEADER_SIZE >= VIGIL_RECORD_MAX)
		return 0;
	return VIGIL_RECORD_MAX - VIGIL_ARG_HEADER_SIZE - w->off;
}

static __always_inline void w_arg_header(struct vigil_writer *w, __u8 param, __u8 kind, __u16 len)
{
	__u8 *buf = scratch();
	if (!buf)
		return;
	__u32 off = w->off;
	vigil_opaque(off);
	struct vigil_arg *a = (struct vigil_arg *)(buf + (off & VIGIL_OFF_MASK));
	a->param = param;
	a->kind = kind;
	a->len = len;
	w->off += VIGIL_ARG_HEADER_SIZE + len;
	w->nargs++;
}

/* Where the next argument's payload goes; NULL only if the scratch map is missing. */
static __always_inline __u8 *w_payload(struct vigil_writer *w)
{
	__u8 *buf = scratch();
	if (!buf)
		return NULL;
	__u32 off = w->off + VIGIL_ARG_HEADER_SIZE;
	vigil_opaque(off);
	return buf + (off & VIGIL_OFF_MASK);
}

static __always_inline void w_u64(struct vigil_writer *w, __u8 param, __u8 kind, __u64 value)
{
	__u8 *out = w_payload(w);
	if (!out)
		return;
	if (w_room(w) < 8) {
		w->flags |= VIGIL_F_TRUNCATED;
		return;
	}
	*(__u64 *)out = value;
	w_arg_header(w, param, kind, 8);
}

static __always_inline __u32 w_bound(struct vigil_writer *w, __u32 want)
{
	__u32 room = w_room(w);
	if (want > room) {
		w->flags |= VIGIL_F_TRUNCATED;
		want = room;
	}
	vigil_opaque(want);
	return want & VIGIL_OFF_MASK;
}

/* A NUL-terminated string from user (user=1) or kernel memory; stored without its NUL. */
static __always_inline void w_str(struct vigil_writer *w, __u8 param, const void *ptr, __u32 max, int user)
{
	__u32 size = w_bound(w, max);
	__u8 *out = w_payload(w);
	long n;
	if (!ptr || size == 0 || !out)
		return;
	if (user)
		n = bpf_probe_read_user_str(out, size, ptr);
	else
		n = bpf_probe_read_kernel_str(out, size, ptr);
	if (n <= 0)
		return;
	if ((__u32)n == size)
		w->flags |= VIGIL_F_TRUNCATED; /* filled the room: the string may go on */
	w_arg_header(w, param, VIGIL_ARG_STR, (__u16)(n - 1));
}

/* len raw bytes from user memory, as kind (BYTES, SOCKADDR or STRLIST). */
static __always_inline void w_user_bytes(struct vigil_writer *w, __u8 param, __u8 kind, const void *ptr, __u32 len)
{
	__u32 size = w_bound(w, len);
	__u8 *out = w_payload(w);
	if (!ptr || size == 0 || !out)
		return;
	if (bpf_probe_read_user(out, size, ptr))
		return;
	w_arg_header(w, param, kind, (__u16)size);
}

/* Fills the fixed header fields the writer owns and sends the record; counts it either way. */
static __always_inline void w_send(struct vigil_writer *w)
{
	__u8 *buf = scratch();
	if (!buf)
		return;
	struct vigil_record_header *h = (struct vigil_record_header *)buf;
	__u32 len = w->off;
	h->len = len;
	h->nargs = w->nargs;
	h->flags |= w->flags;
	h->version = VIGIL_WIRE_VERSION;
	if (len > VIGIL_RECORD_MAX)
		return; /* unreachable by construction; keeps the verifier's size bound explicit */
	__u64 wake = bpf_ringbuf_query(&vigil_events, BPF_RB_AVAIL_DATA) >= vigil_wakeup_bytes ? BPF_RB_FORCE_WAKEUP
											      : BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&vigil_events, buf, len, wake))
		vigil_count(VIGIL_CNT_RINGBUF_DROPS);
	else
		vigil_count(VIGIL_CNT_EMITTED);
}

#endif
