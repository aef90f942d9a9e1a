/**
 * Every field, field argument and operator that the current upstream stable/incubating/sandbox rules
 * use (spec 7), in one rule we wrote, with the version items those files start with: it must load
 * with no error and no warning. The published files themselves are checked outside the repository
 * with scripts/check-upstream-rules.sh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locate } from '../../src/diagnostics/index.js';
import { loadFalcoRules } from '../../src/falco/index.js';

const RULES = `
- required_engine_version: 0.57.0

- required_plugin_versions:
  - name: container
    version: 0.4.0

- list: private_nets
  items: ['"10.0.0.0/8"', '"192.168.0.0/16"']

- list: udp_ports
  items: [53, 123]

- rule: Every upstream field
  desc: fields and operators of the upstream rules files
  condition: >
    evt.type in (execve, execveat, open, openat, openat2, connect, ptrace, socket, symlink, link, setns,
      setuid, unshare, userfaultfd, bpf, chmod, mkdir, rename, dup, recvfrom, init_module, creat)
    and evt.num != 0 and evt.res != SUCCESS and evt.rawres >= 0 and evt.args != x
    and evt.is_open_read = true and evt.is_open_write = true and evt.is_open_exec = true
    and evt.arg.flags contains O_TRUNC and evt.arg.flags contains EXE_WRITABLE
    and evt.arg.request contains PTRACE_ATTACH and evt.arg.domain contains AF_PACKET
    and evt.arg.target != x and evt.arg.linkpath != x and evt.arg.oldpath != x and evt.arg.newpath != x
    and evt.arg.cmd = 5 and evt.arg.fd != 1 and evt.arg.filename != x and evt.arg.mode contains S_ISUID
    and evt.arg.name != x and evt.arg.path != x and evt.arg.uid != x and evt.buffer bcontains cafebabe
    and proc.name != x and proc.pname exists and proc.aname[2] != x and proc.aname != x and proc.aexe[2] endswith java
    and proc.cmdline icontains x and proc.pcmdline startswith x and proc.args intersects ("-V", "-l")
    and proc.exe glob '*grep' and proc.pexe != x and proc.exepath != x and proc.pexepath != x
    and proc.cwd != x and proc.tty != 0 and proc.vpid = 1 and proc.duration <= 5000000000 and proc.sname != x
    and proc.env icontains HTTP_PROXY and proc.is_vpgid_leader = true and proc.is_exe_from_memfd = true
    and proc.is_exe_upper_layer = true and proc.exe_ino.ctime > 0 and proc.exe_ino.mtime > 0
    and proc.exe_ino.ctime_duration_proc_start > 0
    and user.name != x and user.uid != 0 and user.loginuid != 1 and user.loginname != x
    and group.gid != 1 and group.name != x
    and thread.cap_effective contains CAP_SYS_ADMIN and thread.cap_permitted contains CAP_BPF
    and fd.name pmatch (/etc) and fd.nameraw contains '../' and fd.directory != x and fd.filename != x
    and fd.typechar = 4 and fd.type in ("ipv4", "ipv6") and fd.num >= 0 and fd.l4proto != tcp
    and fd.connected = false and fd.name_changed = true and fd.sockfamily = ip
    and fd.ip != "0.0.0.0" and fd.net != "127.0.0.0/8" and fd.sip != "1.2.3.4" and fd.cip != "1.2.3.4"
    and fd.rip != "1.2.3.4" and fd.snet in (private_nets) and fd.cnet in (private_nets) and fd.rnet in (private_nets)
    and fd.sport in (22, 443) and fd.port in (udp_ports) and fd.lport != 1 and fd.rport != 1
    and fd.sip.name in (example.com) and fd.cip.name in (example.com) and fd.lip.name in (example.com)
    and fd.rip.name in (example.com)
    and container.id != host and container.privileged = true and container.image.repository in (x/y)
    and container.mount.dest[/proc*] != "N/A" and container.mounts != x and container.start_ts > 0
    and k8s.ns.name = kube-system and k8s.pod.name startswith calico
  output: >
    %proc.aexepath[2] %proc.aname[7] %evt.arg.flags %container.start_ts %container.id %container.name
    %container.image.repository %k8s.ns.name %k8s.pod.name %proc.exe_ino.ctime_duration_proc_start
    %thread.cap_effective %fd.sip %fd.rip %evt.res %user.loginname %group.name
  priority: WARNING
`;

test('every field and operator of the current upstream rules files loads without a diagnostic', () => {
  const loaded = loadFalcoRules([{ name: 'upstream-fields.yaml', text: RULES }]);
  assert.deepEqual(loaded.diagnostics.map(locate), []);
  assert.equal(loaded.ruleset?.rules.length, 1);
  assert.deepEqual(loaded.requiredPlugins, [{ name: 'container', version: '0.4.0' }]);
});
