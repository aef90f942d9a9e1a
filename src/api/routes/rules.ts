/**
 * @module Rules routes: list, validate, write or delete a rules file, reload, enable/disable.
 * Only YAML (Falco) and Rego files are accepted over HTTP, and only after they validate together
 * with the running set; JavaScript signatures load from the rules directory on disk only.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { RuleSetError, errorsIn, locate, sortDiagnostics } from '../../diagnostics/index.js';
import { REGO_EXTENSIONS, checkRuleFileName } from '../../daemon/rule-sources.js';
import type { CompileResult } from '../../workers/pipeline.js';
import type { ApiDeps } from '../app.js';
import { badRequest } from '../errors.js';

function report(result: CompileResult) {
  return {
    ok: result.rules !== undefined && errorsIn(result.diagnostics).length === 0,
    rules: result.summary.length,
    diagnostics: sortDiagnostics(result.diagnostics).map(locate),
  };
}

function rulesDirOf(deps: ApiDeps): string {
  if (!deps.rulesDir) throw new HTTPException(409, { message: 'no rules directory is configured (rules_dir / --rules-dir)' });
  return resolve(deps.rulesDir);
}

function fileName(name: string): string {
  const problem = checkRuleFileName(name);
  if (problem) throw badRequest(problem);
  return name;
}

export function rulesRoutes(deps: ApiDeps): Hono {
  const rules = deps.rules;
  return new Hono()
    .get('/rules', (c) =>
      c.json({
        version: rules.currentVersion,
        files: rules.sourceFiles(),
        rules: rules.rules(),
        warnings: rules.warnings().map(locate),
      }),
    )
    .post('/rules/validate', async (c) => {
      const name = c.req.query('name') ?? 'request.yaml';
      const text = await c.req.text();
      const source = { name, text };
      const isRego = REGO_EXTENSIONS.includes(extname(name));
      return c.json(report(await rules.validate(isRego ? { rego: [source] } : { falco: [source] })));
    })
    .put('/rules/files/:name', async (c) => {
      const name = fileName(c.req.param('name'));
      const dir = rulesDirOf(deps);
      const path = join(dir, name);
      const text = await c.req.text();
      const result = await rules.validateWith({ name: path, text }, REGO_EXTENSIONS.includes(extname(name)) ? 'rego' : 'falco');
      if (!result.rules || errorsIn(result.diagnostics).length > 0) throw new RuleSetError(result.diagnostics);
      // Write then rename, so a reload never reads half a file.
      const tmp = join(dir, `.${name}.${process.pid}.tmp`);
      await writeFile(tmp, text);
      await rename(tmp, path);
      const reload = c.req.query('reload') === 'true' || c.req.query('reload') === '1' ? await rules.reload(`api:put ${name}`) : undefined;
      return c.json({ written: name, ...report(result), ...(reload ? { reload } : {}) }, 201);
    })
    .delete('/rules/files/:name', async (c) => {
      const name = fileName(c.req.param('name'));
      const dir = rulesDirOf(deps);
      try {
        await unlink(join(dir, name));
      } catch {
        throw new HTTPException(404, { message: `no rules file '${name}' in the rules directory` });
      }
      return c.json({ deleted: name });
    })
    .post('/rules/reload', async (c) => c.json(await rules.reload('api')))
    .patch('/rules/:name', async (c) => {
      const name = c.req.param('name');
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw badRequest('body must be JSON: {"enabled": true|false}');
      }
      const enabled = (body as { enabled?: unknown } | null)?.enabled;
      if (typeof enabled !== 'boolean') throw badRequest('body must be {"enabled": true|false}');
      if (!rules.hasRule(name)) throw new HTTPException(404, { message: `no rule or signature named '${name}'` });
      return c.json(await rules.setEnabled(name, enabled));
    });
}
