// The three handler bundles in a `cdk synth` output: the files the stack deploys, built with its own bundling options.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface HandlerBundles {
  onUpload: string;
  step: string;
  finalize: string;
}

interface TemplateResource {
  Type: string;
  Properties?: { Handler?: string; Runtime?: string };
  Metadata?: Record<string, string>;
}

const CONSTRUCT_OF: Record<keyof HandlerBundles, string> = {
  onUpload: '/OnUpload/Function/Resource',
  step: '/Step/Function/Resource',
  finalize: '/Finalize/Function/Resource',
};

/** Reads every template in cdkOut; throws unless each handler is found exactly once, on nodejs24.x, with index.mjs. */
export async function handlerBundles(cdkOut: string, runtime = 'nodejs24.x'): Promise<HandlerBundles> {
  const templates = (await readdir(cdkOut)).filter((name) => name.endsWith('.template.json'));
  const found: Partial<Record<keyof HandlerBundles, string[]>> = {};
  for (const name of templates) {
    const template = JSON.parse(await readFile(path.join(cdkOut, name), 'utf8')) as {
      Resources: Record<string, TemplateResource>;
    };
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const constructPath = resource.Metadata?.['aws:cdk:path'] ?? '';
      const asset = resource.Metadata?.['aws:asset:path'];
      for (const [role, suffix] of Object.entries(CONSTRUCT_OF) as Array<[keyof HandlerBundles, string]>) {
        if (!constructPath.endsWith(suffix)) continue;
        if (resource.Properties?.Runtime !== runtime || resource.Properties.Handler !== 'index.handler' || !asset)
          throw new Error(`${constructPath}: expected ${runtime}, index.handler and an asset path`);
        (found[role] ??= []).push(path.join(cdkOut, asset, 'index.mjs'));
      }
    }
  }
  const one = (role: keyof HandlerBundles): string => {
    const files = found[role] ?? [];
    if (files.length !== 1) throw new Error(`expected one ${role} function in ${cdkOut}, found ${files.length}`);
    return files[0] as string;
  };
  return { onUpload: one('onUpload'), step: one('step'), finalize: one('finalize') };
}

/** The integ app's emulator function bundle (test/integ/integ-stack.ts), found the same way. */
export async function emulatorBundle(cdkOut: string, runtime = 'nodejs24.x'): Promise<string> {
  const files: string[] = [];
  for (const name of (await readdir(cdkOut)).filter((file) => file.endsWith('.template.json'))) {
    const template = JSON.parse(await readFile(path.join(cdkOut, name), 'utf8')) as {
      Resources: Record<string, TemplateResource>;
    };
    for (const resource of Object.values(template.Resources)) {
      const asset = resource.Metadata?.['aws:asset:path'];
      if (
        resource.Type !== 'AWS::Lambda::Function' ||
        !resource.Metadata?.['aws:cdk:path']?.endsWith('/Emulator/Function/Resource')
      )
        continue;
      if (resource.Properties?.Runtime !== runtime || !asset)
        throw new Error(`the emulator function is not ${runtime}`);
      files.push(path.join(cdkOut, asset, 'index.mjs'));
    }
  }
  if (files.length !== 1) throw new Error(`expected one emulator function in ${cdkOut}, found ${files.length}`);
  return files[0] as string;
}
