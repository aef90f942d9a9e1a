// Orphans under the live sensor: procexit's reaper_tid names the process the kernel really gives
// them to (a child subreaper, else the pid namespace's init), and the state tables follow it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { VigilEvent } from '../../src/events/event.js';
import { StateTables, ancestorAt, type ThreadInfo } from '../../src/state/index.js';
import { capture, requireLiveSensor } from './capture.js';

const PR_SET_CHILD_SUBREAPER = 36;

/**
 * argv: <subreaper 0|1> <marker>. The process (a subreaper when asked) forks a child, which forks a
 * grandchild and exits at once. The grandchild waits until the kernel has reparented it, then writes
 * its new parent's pid into the marker file. Prints the pids as JSON.
 */
const ORPHAN_SCRIPT = `
import ctypes, json, os, sys, time
subreaper, marker = sys.argv[1] == '1', sys.argv[2]
if subreaper and ctypes.CDLL(None, use_errno=True).prctl(${PR_SET_CHILD_SUBREAPER}, 1, 0, 0, 0) != 0:
    sys.exit('prctl failed: errno %d' % ctypes.get_errno())
r, w = os.pipe()
child = os.fork()
if child == 0:
    me = os.getpid()
    grandchild = os.fork()
    if grandchild == 0:
        while os.getppid() == me:
            time.sleep(0.002)
        with open(marker, 'w') as f:
            f.write(str(os.getppid()))
        os._exit(0)
    os.write(w, str(grandchild).encode())
    os._exit(0)
os.close(w)
grandchild = int(os.read(r, 32))
os.waitpid(child, 0)
while True:
    try:
        with open(marker) as f:
            adopted = f.read()
        if adopted:
            break
    except FileNotFoundError:
        pass
    time.sleep(0.002)
if subreaper:
    os.waitpid(grandchild, 0)
else:
    while os.path.exists('/proc/%d' % grandchild):
        time.sleep(0.002)
print(json.dumps({'sub': os.getpid(), 'child': child, 'grandchild': grandchild, 'adopted': int(adopted)}))
`;

interface Orphaning {
  events: VigilEvent[];
  sub: number;
  child: number;
  grandchild: number;
  /** The grandchild's parent after the child exited, as getppid() told it. */
  adopted: number;
  marker: string;
}

async function orphan(subreaper: boolean): Promise<Orphaning> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-reaper-'));
  const marker = join(dir, 'adopted');
  try {
    let out = '';
    const { events, undecodable } = await capture({ events: ['clone', 'clone3', 'fork', 'vfork', 'execve', 'openat', 'procexit'] }, () => {
      const r = spawnSync('python3', ['-c', ORPHAN_SCRIPT, subreaper ? '1' : '0', marker], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.status, 0, `python3: ${r.stderr}`);
      out = r.stdout;
    });
    assert.deepEqual(undecodable, []);
    return { events, marker, ...(JSON.parse(out) as Omit<Orphaning, 'events' | 'marker'>) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function one(events: VigilEvent[], pid: number, name: string, where: (e: VigilEvent) => boolean = () => true): VigilEvent {
  const found = events.filter((e) => e.pid === pid && e.name === name && where(e));
  assert.equal(found.length, 1, `${name} events of pid ${pid}: ${found.length}`);
  return found[0]!;
}

/** Runs the captured events through the state tables in time order; returns what they said of `target`'s
 * thread and its parent process when `target` was applied (before later exits removed them). */
function stateAt(events: VigilEvent[], target: VigilEvent): { thread: ThreadInfo; parent: ThreadInfo | undefined } {
  const state = new StateTables();
  let seen: { thread: ThreadInfo; parent: ThreadInfo | undefined } | undefined;
  for (const e of [...events].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))) {
    const { thread } = state.apply(e);
    if (e === target) seen = { thread: { ...thread }, parent: ancestorAt(state.processes.lookup, thread, 1) };
    state.finish(e);
  }
  assert.ok(seen, 'the target event was applied');
  return seen;
}

function checkOrphan(t: TestContext, o: Orphaning, expectedReaper: number): void {
  const { events } = o;
  const childExit = one(events, o.child, 'procexit');
  assert.equal(childExit.args['reaper_tid'], expectedReaper, 'procexit of the child names the reaper');
  const open = one(events, o.grandchild, 'openat', (e) => e.args['name'] === o.marker);
  assert.equal(open.ppid, expectedReaper, 'the sensor reads the new parent into the header');
  const fork = events.find((e) => e.pid === o.child && ['clone', 'clone3', 'fork', 'vfork'].includes(e.name) && e.ret === o.grandchild);
  assert.ok(fork, "the child's fork of the grandchild was captured");
  const { thread, parent } = stateAt(events, open);
  assert.equal(thread.ptid, expectedReaper, "vigil's state moved the orphan to the reaper");
  if (expectedReaper === o.sub) {
    assert.equal(parent?.pid, o.sub, 'the parent (proc.pname, proc.aname[1]) is the subreaper');
    assert.equal(parent?.comm, 'python3');
  }
  t.diagnostic(`sub ${o.sub} child ${o.child} grandchild ${o.grandchild} reaper ${expectedReaper}`);
}

test('an orphan goes to its child-subreaper ancestor: procexit reaper_tid, header ppid and state agree', async (t) => {
  if (!requireLiveSensor(t)) return;
  const o = await orphan(true);
  assert.equal(o.adopted, o.sub, 'the kernel gave the grandchild to the subreaper');
  checkOrphan(t, o, o.sub);
});

test('without a subreaper the orphan goes to the pid namespace init', async (t) => {
  if (!requireLiveSensor(t)) return;
  const o = await orphan(false);
  assert.notEqual(o.adopted, o.sub);
  // 1 in the host namespace, unless something above the test runner is itself a subreaper
  // (systemd --user, tini -s): the kernel's choice, which getppid() reported, is what must match.
  if (o.adopted !== 1) t.diagnostic(`an ancestor of the test runner is a subreaper: the orphan went to ${o.adopted}`);
  checkOrphan(t, o, o.adopted);
});
