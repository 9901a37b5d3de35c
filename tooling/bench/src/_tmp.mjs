import { loadTfjsCpu } from './tfjs.mjs';
import { INPUTS_5, TARGETS_5 } from './crop-yields.mjs';
const tf = await loadTfjsCpu();
const x = tf.tensor2d(INPUTS_5), y = tf.tensor2d(TARGETS_5);
const mse = (p, t) => { const d = tf.sub(p, t); return tf.div(tf.sum(tf.mul(d, d)), d.size); };
const model = (w, b) => tf.add(tf.matMul(x, w, false, true), b);
const E = 10000;
function grads() { const w = tf.variable(tf.randomNormal([2,3])), b = tf.variable(tf.randomNormal([2]));
  const g = tf.grads((w, b) => mse(model(w, b), y));
  for (let i=0;i<E;i++) tf.tidy(() => { const [dw, db] = g([w,b]); w.assign(tf.sub(w, tf.mul(dw, 1e-5))); b.assign(tf.sub(b, tf.mul(db, 1e-5))); }); w.dispose(); b.dispose(); }
function vgrads() { const w = tf.variable(tf.randomNormal([2,3])), b = tf.variable(tf.randomNormal([2]));
  for (let i=0;i<E;i++) tf.tidy(() => { const {grads} = tf.variableGrads(() => mse(model(w, b), y)); w.assign(tf.sub(w, tf.mul(grads[w.name], 1e-5))); b.assign(tf.sub(b, tf.mul(grads[b.name], 1e-5))); }); w.dispose(); b.dispose(); }
function opt() { const w = tf.variable(tf.randomNormal([2,3])), b = tf.variable(tf.randomNormal([2])); const o = tf.train.sgd(1e-5);
  for (let i=0;i<E;i++) o.minimize(() => mse(model(w, b), y)); w.dispose(); b.dispose(); }
function nosub() { const w = tf.variable(tf.randomNormal([2,3])), b = tf.variable(tf.randomNormal([2]));
  for (let i=0;i<E;i++) tf.tidy(() => { const d = tf.sub(tf.add(tf.matMul(x, w, false, true), b), y); const l = tf.sum(tf.mul(d,d)); }); w.dispose(); b.dispose(); }
for (const [n,f] of [['grads',grads],['vgrads',vgrads],['opt',opt],['fwd only',nosub],['grads',grads],['vgrads',vgrads],['opt',opt],['fwd only',nosub]]) { f(); const t=performance.now(); f(); console.log(n, (performance.now()-t)/1000); }
console.log(tf.memory().numTensors);
