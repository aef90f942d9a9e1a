import { NO_LOGINUID } from '../../events/event.js';
import type { ThreadInfo } from '../../state/types.js';
import { fromThread, plain, type FieldClass } from './define.js';
import type { EvalContext } from './field.js';

/**
 * user.* and group.*: the thread's user and group, named through the user database of the
 * thread's container (or the host). Names fall back to sentinels, not to "no value": `root` for
 * uid 0 and `<NA>` for any other unknown id, as Falco does.
 */

const NA = '<NA>';

const dbKey = (t: ThreadInfo): string => t.containerId || 'host';

function userName(uid: number, t: ThreadInfo, ctx: EvalContext): string {
  return ctx.state.user(uid, dbKey(t))?.name ?? (uid === 0 ? 'root' : NA);
}

export const USER_FIELDS: FieldClass = {
  name: 'user',
  desc: 'User and group fields: who the thread runs as, named by the passwd/group of its container.',
  fields: [
    plain('user.uid', 'uint32', 'P', 'user id of the thread', fromThread((t) => t.uid)),
    plain('user.name', 'charbuf', 'U', "user name ('root' for uid 0 and '<NA>' for other ids unknown to the user database)", fromThread((t, ctx) => userName(t.uid, t, ctx))),
    plain('user.homedir', 'charbuf', 'U', "home directory of the user ('<NA>' when unknown)", fromThread((t, ctx) => ctx.state.user(t.uid, dbKey(t))?.home ?? (t.uid === 0 ? '/root' : NA))),
    plain('user.shell', 'charbuf', 'U', "login shell of the user ('<NA>' when unknown)", fromThread((t, ctx) => ctx.state.user(t.uid, dbKey(t))?.shell ?? NA)),
    plain('user.loginuid', 'int64', 'P', 'audit login uid of the thread; -1 when unset', fromThread((t) => (t.loginuid === NO_LOGINUID ? -1 : t.loginuid))),
    plain('user.loginname', 'charbuf', 'U', "name of the audit login user ('<NA>' when unset or unknown)", fromThread((t, ctx) => (t.loginuid === NO_LOGINUID ? NA : userName(t.loginuid, t, ctx)))),
    plain('group.gid', 'uint32', 'P', 'group id of the thread', fromThread((t) => t.gid)),
    plain('group.name', 'charbuf', 'U', "group name ('root' for gid 0 and '<NA>' for other unknown ids)", fromThread((t, ctx) => ctx.state.group(t.gid, dbKey(t))?.name ?? (t.gid === 0 ? 'root' : NA))),
  ],
};
