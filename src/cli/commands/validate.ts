export async function run(_args: string[]): Promise<number> {
  process.stderr.write('vigil validate: not implemented yet\n');
  return 2;
}
