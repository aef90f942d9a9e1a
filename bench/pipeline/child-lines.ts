import type { ChildProcess } from 'node:child_process';

/** A child process's stdout as lines, for the benches that read the C tools' one-line reports. */
export function childLines(child: ChildProcess): AsyncIterator<string> {
  return (async function* () {
    let buf = '';
    for await (const chunk of child.stdout!) {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        yield buf.slice(0, nl);
        buf = buf.slice(nl + 1);
      }
    }
  })();
}
