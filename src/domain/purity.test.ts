import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// DESIGN §2: the domain is pure and imports nothing outside itself — no database, no HTTP,
// no packages, no Node built-ins (so no clock, files or randomness of its own).
const domainDir = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsLeavingDomain(file: string, source: string): string[] {
  const bad: string[] = [];
  for (const match of source.matchAll(importPattern)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (!spec.startsWith('.')) {
      bad.push(spec);
      continue;
    }
    const target = resolve(dirname(file), spec);
    if (relative(domainDir, target).startsWith('..')) bad.push(spec);
  }
  return bad;
}

describe('the domain stays pure', () => {
  it('finds imports that leave src/domain (the check itself works)', () => {
    const file = join(domainDir, 'example.ts');
    expect(importsLeavingDomain(file, "import { x } from '../db/schema';")).toEqual(['../db/schema']);
    expect(importsLeavingDomain(file, "import pg from 'pg';\nimport { y } from './refusal';")).toEqual(['pg']);
    expect(importsLeavingDomain(file, "const fs = await import('node:fs');")).toEqual(['node:fs']);
    expect(importsLeavingDomain(file, "export { z } from './roles';")).toEqual([]);
  });

  it.each(sourceFiles(domainDir).map((f) => [relative(domainDir, f), f]))('%s imports only from src/domain', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    expect(importsLeavingDomain(file, source)).toEqual([]);
    // no clock or randomness of its own: time and random draws are arguments
    expect(source).not.toMatch(/\bDate\.now\(|\bnew Date\(\)|Math\.random\(/);
  });
});
