export async function run(_args: string[]): Promise<number> {
  process.stderr.write('vigil trace: not implemented yet\n');
  return 2;
}
