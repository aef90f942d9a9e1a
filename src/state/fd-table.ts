import type { FdInfo, FdTableView } from './types.js';
import { O_CLOEXEC } from '../events/flags.js';

/**
 * The open fds of one process. Threads of a process hold the same FdTable object (they share
 * their fd table in the kernel); fork copies it, exec drops the close-on-exec entries.
 */
export class FdTable implements FdTableView {
  private readonly fds = new Map<number, FdInfo>();

  get size(): number {
    return this.fds.size;
  }

  get(fd: number): FdInfo | undefined {
    return this.fds.get(fd);
  }

  entries(): IterableIterator<FdInfo> {
    return this.fds.values();
  }

  set(info: FdInfo): void {
    this.fds.set(info.num, info);
  }

  delete(fd: number): boolean {
    return this.fds.delete(fd);
  }

  /** The copy a forked child gets: same entries, independent table. */
  copy(): FdTable {
    const child = new FdTable();
    for (const info of this.fds.values()) child.fds.set(info.num, { ...info, nameChanged: false });
    return child;
  }

  /** What exec does: fds opened with O_CLOEXEC are closed. */
  closeOnExec(): void {
    for (const [num, info] of this.fds) if (info.openFlags & O_CLOEXEC) this.fds.delete(num);
  }
}
