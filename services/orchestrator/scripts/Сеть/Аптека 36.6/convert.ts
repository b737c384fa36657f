export { default } from '../../_lib/chain-demo.js';
