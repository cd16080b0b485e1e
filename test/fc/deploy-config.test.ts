import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

// The deployment descriptors against what their tools require, and against the packages the
// build makes. template.yml is also checked by fun itself (`npm run validate:fc`); Serverless
// Devs has no offline validator, so the fc3 component's documented schema is checked here.

const root = resolve(__dirname, '../..');
const read = (file: string) => parse(readFileSync(resolve(root, file), 'utf8'));

// Every method the app answers: /api/todos needs PATCH, browsers' CORS preflights OPTIONS.
const FC2_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const FC3_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

describe('template.yml (fun, FC 2.0)', () => {
  const template = read('template.yml');
  const entries = Object.entries(template.Resources as Record<string, Record<string, unknown>>);
  const [serviceName, service] = entries.find(([, resource]) => resource.Type === 'Aliyun::Serverless::Service')!;
  const [functionName, fn] = Object.entries(service).find(([, value]) => (value as { Type?: string })?.Type === 'Aliyun::Serverless::Function') as [
    string,
    { Properties: Record<string, any>; Events: Record<string, { Type: string; Properties: Record<string, unknown> }> }, // eslint-disable-line @typescript-eslint/no-explicit-any
  ];
  const props = fn.Properties;

  it('is a fun template', () => {
    expect(template).toMatchObject({ ROSTemplateFormatVersion: '2015-09-01', Transform: 'Aliyun::Serverless-2018-04-03' });
  });

  it('runs the built package on nodejs12', () => {
    expect(props.Runtime).toBe('nodejs12');
    expect(resolve(root, props.CodeUri)).toBe(resolve(root, 'dist/fc'));
    const [file, exported] = props.Handler.split('.');
    expect(existsSync(resolve(root, props.CodeUri, `${file}.js`))).toBe(true);
    expect(exported).toBe('handler');
  });

  it('opens the database once per instance in an Initializer and closes it in PreStop, both exported by the package', () => {
    expect(props.Initializer).toBe('index.initializer');
    expect(props.InitializationTimeout).toBeGreaterThanOrEqual(5);
    expect(props.InstanceLifecycleConfig.PreStop).toMatchObject({ Handler: 'index.preStop', Timeout: expect.any(Number) });
    const exported = execFileSync(process.execPath, ['-e', "process.stdout.write(Object.keys(require('./index.js')).sort().join())"], {
      cwd: resolve(root, props.CodeUri),
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(exported).toBe('handler,initializer,preStop');
  });

  it('offers STORE=postgres with DATABASE_URL, and a VpcConfig example', () => {
    expect(props.EnvironmentVariables).toHaveProperty('DATABASE_URL');
    expect(readFileSync(resolve(root, 'template.yml'), 'utf8')).toMatch(/#\s*VpcConfig:\s*\n\s*#\s*VpcId:/);
  });

  it('sizes the function sensibly and keeps todos in memory', () => {
    expect(props.MemorySize % 64).toBe(0);
    expect(props.MemorySize).toBeGreaterThanOrEqual(128);
    expect(props.Timeout).toBeGreaterThanOrEqual(1);
    expect(props.Timeout).toBeLessThanOrEqual(600);
    expect(props.EnvironmentVariables.STORE).toBe('memory');
  });

  it('opens an anonymous HTTP trigger for every method the app answers', () => {
    const triggers = Object.values(fn.Events).filter((event) => event.Type === 'HTTP');
    expect(triggers).toHaveLength(1);
    expect(triggers[0].Properties.AuthType).toMatch(/^anonymous$/i);
    expect([...(triggers[0].Properties.Methods as string[])].sort()).toEqual([...FC2_METHODS].sort());
  });

  it('routes a custom domain path /* to the function', () => {
    const [, domain] = entries.find(([, resource]) => resource.Type === 'Aliyun::Serverless::CustomDomain')! as [string, { Properties: any }]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(domain.Properties.RouteConfig.Routes['/*']).toEqual({ ServiceName: serviceName, FunctionName: functionName });
  });
});

describe('s.yaml (Serverless Devs, FC 3.0)', () => {
  const project = read('s.yaml');
  const resources = Object.values(project.resources as Record<string, { component: string; props: any }>); // eslint-disable-line @typescript-eslint/no-explicit-any
  const fn = resources.find((resource) => resource.component === 'fc3')!;
  const props = fn.props;
  const vars = project.vars as Record<string, string>;
  const expand = (text: string) => text.replace(/\$\{vars\.(\w+)\}/g, (_, name: string) => vars[name]);

  it('is a Serverless Devs 3 project with an fc3 function', () => {
    expect(project.edition).toBe('3.0.0');
    expect(fn).toBeDefined();
    for (const key of ['functionName', 'region', 'runtime', 'code']) expect(props[key]).toEqual(expect.any(String));
    expect(expand(props.region)).toMatch(/^(cn|ap|eu|us)-[a-z]+(-\d)?$/);
  });

  it('starts the bundled server on Node 20 in a custom runtime', () => {
    expect(props.runtime).toBe('custom.debian10');
    expect(resolve(root, props.code)).toBe(resolve(root, 'dist/fc3'));
    const [node, entry] = props.customRuntimeConfig.command;
    expect(existsSync(resolve(root, props.code, entry))).toBe(true);
    const layer = props.layers.map(expand).find((arn: string) => /:official:layers\/Nodejs20\/versions\/\d+$/.test(arn));
    expect(layer).toBe(`acs:fc:${expand(props.region)}:official:layers/Nodejs20/versions/3`);
    expect(node).toBe('/opt/nodejs20/bin/node');
    expect(props.customRuntimeConfig.port).toEqual(expect.any(Number));
  });

  it('checks the instance with the health check path the server answers, within fc3 limits', () => {
    const check = props.customRuntimeConfig.healthCheckConfig;
    expect(check.httpGetUrl).toBe('/healthz');
    expect(check.initialDelaySeconds).toBeGreaterThanOrEqual(0);
    expect(check.initialDelaySeconds).toBeLessThanOrEqual(120);
    for (const key of ['periodSeconds', 'failureThreshold', 'successThreshold']) {
      expect(check[key]).toBeGreaterThanOrEqual(1);
      expect(check[key]).toBeLessThanOrEqual(120);
    }
    expect(check.timeoutSeconds).toBeGreaterThanOrEqual(1);
    expect(check.timeoutSeconds).toBeLessThanOrEqual(3);
  });

  it('stays inside the fc3 limits and keeps todos in memory', () => {
    expect(props.memorySize % 64).toBe(0);
    expect(props.memorySize).toBeGreaterThanOrEqual(128);
    expect(props.memorySize / 1024 / props.cpu).toBeGreaterThanOrEqual(1); // 1 to 4 GB per vCPU
    expect(props.memorySize / 1024 / props.cpu).toBeLessThanOrEqual(4);
    expect(props.instanceConcurrency).toBeGreaterThanOrEqual(1);
    expect(props.instanceConcurrency).toBeLessThanOrEqual(100);
    expect(Object.values(props.environmentVariables).every((value) => typeof value === 'string')).toBe(true);
    expect(props.environmentVariables).toMatchObject({ STORE: 'memory', DATABASE_URL: '', STATIC_DIR: `/code/public` });
    expect(readFileSync(resolve(root, 's.yaml'), 'utf8')).toMatch(/#\s*vpcConfig:\s*\n\s*#\s*vpcId:/);
  });

  it('opens an anonymous HTTP trigger for the methods the app answers', () => {
    const [trigger] = props.triggers;
    expect(trigger).toMatchObject({ triggerName: expect.any(String), triggerType: 'http', triggerConfig: { authType: 'anonymous' } });
    expect(FC3_METHODS).toEqual(expect.arrayContaining(trigger.triggerConfig.methods));
    expect([...trigger.triggerConfig.methods].sort()).toEqual([...FC2_METHODS].sort());
  });

  it('routes a custom domain path /* to the function', () => {
    const domain = resources.find((resource) => resource.component === 'fc3-domain')!;
    expect(domain.props.routeConfig.routes).toEqual([
      expect.objectContaining({ path: '/*', functionName: props.functionName, qualifier: 'LATEST' }),
    ]);
  });
});
