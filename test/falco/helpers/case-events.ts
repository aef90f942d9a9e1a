/**
 * Semantic cases (test/cases/falco/*.yaml): a rules file, then a line `---` and a line `# events`,
 * then a YAML document `events:` listing synthetic events in order. Each event is applied to real
 * state tables and evaluated by the real engine; `expect` lists the rules that must alert (in
 * order, rule_matching all) and `output` (optional) the first alert's formatted output.
 *
 *   - event: execve          # event-table name
 *     pid: 200               # tid defaults to pid; ppid, uid, gid, comm, tty, cgroup, ret, loginuid
 *     args: {exe: bash, args: [-i], comm: bash, cwd: /root}
 *     expect: [Shell under web server]
 */
import { parse } from 'yaml';
import { eventByName } from '../../../src/events/event-table.js';
import { NO_LOGINUID, type ArgValue, type VigilEvent } from '../../../src/events/event.js';

export interface CaseEvent {
  evt: VigilEvent;
  expect: string[];
  output?: string;
  note?: string;
}

export interface SemanticCase {
  rules: string;
  events: CaseEvent[];
}

const MARKER = '\n---\n# events\n';

export function parseSemanticCase(text: string): SemanticCase {
  const at = text.indexOf(MARKER);
  if (at < 0) throw new Error('case file has no "---\\n# events" part');
  const doc = parse(text.slice(at + MARKER.length)) as { events: Record<string, unknown>[] };
  let ts = 1_700_000_000_000_000_000n;
  // The kernel puts the task's current comm in every event header; follow it like the kernel does.
  const comms = new Map<number, string>();
  const events = doc.events.map((e) => {
    const name = String(e.event);
    const def = eventByName(name);
    if (!def) throw new Error(`unknown event ${name}`);
    const pid = Number(e.pid ?? 100);
    const tid = Number(e.tid ?? pid);
    ts += 1_000_000n;
    const evt: VigilEvent = {
      id: def.id, name, ts, cpu: 0, pid, tid, ppid: Number(e.ppid ?? 1), vpid: pid, vtid: tid, vppid: Number(e.ppid ?? 1),
      uid: Number(e.uid ?? 0), gid: Number(e.gid ?? 0), loginuid: Number(e.loginuid ?? NO_LOGINUID), comm: String(e.comm ?? comms.get(pid) ?? 'proc'),
      tty: Number(e.tty ?? 0), mntns: 4026531840, pidns: 4026531836, cgroupId: 0, cgroup: String(e.cgroup ?? ''),
      ret: Number(e.ret ?? 0), args: (e.args ?? {}) as Record<string, ArgValue>,
    };
    const args = evt.args;
    if (name.startsWith('execve') && evt.ret === 0 && typeof args.comm === 'string') comms.set(pid, args.comm);
    else if (name.startsWith('clone') && evt.ret > 0) comms.set(evt.ret, evt.comm);
    else comms.set(pid, evt.comm);
    const out: CaseEvent = { evt, expect: ((e.expect as string[] | undefined) ?? []).map(String) };
    if (e.output !== undefined) out.output = String(e.output);
    if (e.note !== undefined) out.note = String(e.note);
    return out;
  });
  return { rules: text.slice(0, at + 1), events };
}
