/** Engine and plugin version requirements (semver `x.y.z`, or a bare integer N meaning `0.N.0`). */

/** The Falco engine version whose rules-language behaviour vigil implements. */
export const ENGINE_VERSION = '0.63.0';

export type Semver = readonly [number, number, number];

export function parseSemver(text: string): Semver | undefined {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(text);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** `required_engine_version` accepts a bare integer (old style) or a semver string. */
export function parseEngineRequirement(text: string): Semver | undefined {
  if (/^\d+$/.test(text)) return [0, Number(text), 0];
  return parseSemver(text);
}

/** Compatible when the major versions agree and `have` is at least `need`. */
export function isCompatible(have: Semver, need: Semver): boolean {
  if (have[0] !== need[0]) return false;
  for (let i = 1; i < 3; i++) {
    if (have[i]! > need[i]!) return true;
    if (have[i]! < need[i]!) return false;
  }
  return true;
}

export function formatSemver(v: Semver): string {
  return v.join('.');
}
