#!/usr/bin/env node
// @ts-check
/** `emr-eks-gitops <verb> [options]`: the precompiled CLI (rebuilt first if a source changed). */
'use strict';

require('./launch').launch('cli', process.argv.slice(2));
