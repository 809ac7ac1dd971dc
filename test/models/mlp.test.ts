import { describeFamily } from './family-suite.js';

describeFamily({ family: 'mlp' });
