#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { App, Tags } from 'aws-cdk-lib';
import { loadDeploymentConfig } from '../config/deployment.js';
import { buildStacks } from '../lib/app.js';

const app = new App();
const config = loadDeploymentConfig(app.node);
buildStacks(app, config, { repoRoot: fileURLToPath(new URL('../../', import.meta.url)) });
Tags.of(app).add('app', 'refined-toolkit');
Tags.of(app).add('deployment', config.prefix);
app.synth();
