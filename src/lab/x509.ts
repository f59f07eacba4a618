/**
 * Loading @peculiar/x509, the optional dependency only the lab's certificates need (lab/pki.ts):
 * once per process, after the Reflect metadata its dependency tsyringe demands at load time, and
 * pointed at Node's webcrypto.
 */
import { webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';

let x509Module: Promise<typeof X509> | undefined;

/**
 * Loads @peculiar/x509 once, after the Reflect metadata functions its dependency tsyringe demands
 * at load time exist, and points it at Node's webcrypto (it keeps one global provider).
 */
export function loadX509(): Promise<typeof X509> {
  x509Module ??= (async () => {
    installReflectMetadata();
    let m: typeof X509;
    try {
      m = await import('@peculiar/x509');
    } catch (e) {
      x509Module = undefined;
      // An optional dependency: only the lab's certificates need it, never a diagnosis.
      throw new Error(`the lab's certificates need @peculiar/x509, an optional dependency that is not installed (npm i @peculiar/x509): ${(e as Error).message}`);
    }
    m.cryptoProvider.set(webcrypto as unknown as Parameters<typeof m.cryptoProvider.set>[0]);
    return m;
  })();
  return x509Module;
}

/**
 * tsyringe (used by @peculiar/x509 for its algorithm registry) throws at import unless a Reflect
 * metadata polyfill is loaded, and none is a dependency here. It needs only get/getOwn/define;
 * this small store provides them, and stays out of the way when a real polyfill is present.
 */
function installReflectMetadata(): void {
  type MetaReflect = {
    getMetadata?: (key: unknown, target: object, prop?: PropertyKey) => unknown;
    getOwnMetadata?: (key: unknown, target: object, prop?: PropertyKey) => unknown;
    defineMetadata?: (key: unknown, value: unknown, target: object, prop?: PropertyKey) => void;
  };
  const R = Reflect as unknown as MetaReflect;
  if (typeof R.getMetadata === 'function') return;
  const store = new WeakMap<object, Map<PropertyKey | undefined, Map<unknown, unknown>>>();
  const own = (target: object, prop: PropertyKey | undefined, create: boolean): Map<unknown, unknown> | undefined => {
    let byProp = store.get(target);
    if (!byProp) {
      if (!create) return undefined;
      byProp = new Map();
      store.set(target, byProp);
    }
    let m = byProp.get(prop);
    if (!m && create) {
      m = new Map();
      byProp.set(prop, m);
    }
    return m;
  };
  R.defineMetadata = (key, value, target, prop) => {
    own(target, prop, true)!.set(key, value);
  };
  R.getOwnMetadata = (key, target, prop) => own(target, prop, false)?.get(key);
  R.getMetadata = (key, target, prop) => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
      const m = own(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
}
