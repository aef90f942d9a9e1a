import type { FdType } from '../../state/types.js';

/** fd.typechar letters by fd type (libs' one-letter fd kinds). */
const TYPE_CHARS: Record<FdType, string> = {
  file: 'f',
  directory: 'd',
  ipv4: '4',
  ipv6: '6',
  unix: 'u',
  pipe: 'p',
  event: 'e',
  signalfd: 's',
  eventpoll: 'l',
  inotify: 'i',
  timerfd: 't',
  netlink: 'n',
  bpf: 'b',
  userfaultfd: 'u',
  io_uring: 'r',
  memfd: 'm',
  pidfd: 'P',
  unknown: 'o',
};

export function typeChar(type: FdType): string {
  return TYPE_CHARS[type];
}
