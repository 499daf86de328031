#!/usr/bin/env node
// @ts-check
/** The CDKTF CLI's app (`cdktf.json`): the same precompiled stacks as `npm run synth`. */
'use strict';

require('./launch').launch('cdktf-app', process.argv.slice(2));
