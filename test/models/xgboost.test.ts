import { describeFamily } from './family-suite.js';

describeFamily({ family: 'xgboost' });
