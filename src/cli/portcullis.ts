#!/usr/bin/env node
// `portcullis <command>`: the management commands a project runs against its own config module,
// as Django's manage.py runs against its settings. It knows no reference app.
import { commandLine } from './command-line.ts'
import { findConfigFile, loadConfigFile } from './config-file.ts'

const cwd = process.cwd()
const program = commandLine({
  program: 'portcullis',
  config: () =>
    loadConfigFile(
      findConfigFile(program.opts().config ?? process.env.PORTCULLIS_CONFIG, cwd),
      cwd,
    ),
  env: process.env,
})
program.option(
  '--config <path>',
  'the config module (default: PORTCULLIS_CONFIG, else portcullis.config.js, .mjs or .ts here)',
)

program.parseAsync().catch((err: Error) => {
  console.error(`portcullis: ${err.message}`)
  process.exit(1)
})
