export default async function globalTeardown(): Promise<void> {
  await globalThis.__CATALYST_NEO4J__?.stop();
}
