import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// d2l.ai vision chapters translated line by line, as a new user would: batch normalization from scratch and with
// nn.BatchNorm (8.5), anchor boxes (14.4) and the bilinear kernel that initialises FCN's ConvTranspose2d (14.11);
// fixtures/gen_d2l_vision.py runs the originals with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('d2l-vision', new URL('./fixtures/', import.meta.url));
const { nn } = torch;
type Tensor = torch.Tensor;

function expectClose(actual: Tensor | number[], expected: number[], tol = 1e-5, label = ''): void {
  const got = Array.isArray(actual) ? actual : (actual.detach().reshape(-1).tolist() as number[]);
  expect(got.length, label).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

// --- 8.5 Batch Normalization ---
function batch_norm(X: Tensor, gamma: Tensor, beta: Tensor, moving_mean: Tensor, moving_var: Tensor, eps: number, momentum: number): [Tensor, Tensor, Tensor] {
  let X_hat: Tensor;
  if (!torch.isGradEnabled()) {
    X_hat = X.sub(moving_mean).div(torch.sqrt(moving_var.add(eps)));
  } else {
    expect([2, 4]).toContain(X.shape.length);
    let mean: Tensor, variance: Tensor;
    if (X.shape.length === 2) {
      mean = X.mean({ dim: 0 });
      variance = X.sub(mean).pow(2).mean({ dim: 0 });
    } else {
      mean = X.mean({ dim: [0, 2, 3], keepdim: true });
      variance = X.sub(mean).pow(2).mean({ dim: [0, 2, 3], keepdim: true });
    }
    X_hat = X.sub(mean).div(torch.sqrt(variance.add(eps)));
    moving_mean = torch.mul(1.0 - momentum, moving_mean).add(torch.mul(momentum, mean));
    moving_var = torch.mul(1.0 - momentum, moving_var).add(torch.mul(momentum, variance));
  }
  const Y = gamma.mul(X_hat).add(beta);
  return [Y, moving_mean.data, moving_var.data];
}

class BatchNorm extends nn.Module {
  gamma: torch.nn.Parameter;
  beta: torch.nn.Parameter;
  moving_mean: Tensor;
  moving_var: Tensor;
  constructor(num_features: number, num_dims: number) {
    super();
    const shape = num_dims === 2 ? [1, num_features] : [1, num_features, 1, 1];
    this.gamma = new nn.Parameter(torch.ones(shape));
    this.beta = new nn.Parameter(torch.zeros(shape));
    this.moving_mean = torch.zeros(shape);
    this.moving_var = torch.ones(shape);
  }
  override forward(X: Tensor): Tensor {
    if (this.moving_mean.device !== X.device) {
      this.moving_mean = this.moving_mean.to(X.device);
      this.moving_var = this.moving_var.to(X.device);
    }
    let Y: Tensor;
    [Y, this.moving_mean, this.moving_var] = batch_norm(X, this.gamma, this.beta, this.moving_mean, this.moving_var, 1e-5, 0.1);
    return Y;
  }
}

function lenetScratch(): torch.nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, { kernelSize: 5 }), new BatchNorm(6, 4), new nn.Sigmoid(),
    new nn.AvgPool2d({ kernelSize: 2, stride: 2 }),
    new nn.Conv2d(6, 16, { kernelSize: 5 }), new BatchNorm(16, 4), new nn.Sigmoid(),
    new nn.AvgPool2d({ kernelSize: 2, stride: 2 }), new nn.Flatten(),
    new nn.Linear(16 * 4 * 4, 120), new BatchNorm(120, 2), new nn.Sigmoid(),
    new nn.Linear(120, 84), new BatchNorm(84, 2), new nn.Sigmoid(),
    new nn.Linear(84, 10));
}

function lenetConcise(): torch.nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, { kernelSize: 5 }), new nn.BatchNorm2d(6), new nn.Sigmoid(),
    new nn.AvgPool2d({ kernelSize: 2, stride: 2 }),
    new nn.Conv2d(6, 16, { kernelSize: 5 }), new nn.BatchNorm2d(16), new nn.Sigmoid(),
    new nn.AvgPool2d({ kernelSize: 2, stride: 2 }), new nn.Flatten(),
    new nn.Linear(256, 120), new nn.BatchNorm1d(120), new nn.Sigmoid(),
    new nn.Linear(120, 84), new nn.BatchNorm1d(84), new nn.Sigmoid(),
    new nn.Linear(84, 10));
}

function accuracy(y_hat: Tensor, y: Tensor): number {
  if (y_hat.shape.length > 1 && y_hat.shape[1] > 1) y_hat = y_hat.argmax({ axis: 1 });
  const cmp = y_hat.type(y.dtype).eq(y);
  return Number(cmp.type(y.dtype).sum());
}

function trainBn(net: torch.nn.Sequential, X: Tensor, y: Tensor, steps: number, lr: number): [number[], number[], Tensor] {
  const init_weights = (m: torch.nn.Module): void => {
    if (m.constructor === nn.Linear || m.constructor === nn.Conv2d) nn.init.xavierUniform_((m as torch.nn.Linear).weight);
  };
  net.apply(init_weights);
  const optimizer = new torch.optim.SGD(net.parameters(), { lr });
  const loss = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  const accs: number[] = [];
  for (let s = 0; s < steps; s++) {
    net.train();
    optimizer.zeroGrad();
    const y_hat = net(X);
    const l = loss(y_hat, y);
    l.backward();
    optimizer.step();
    losses.push(l.item());
    accs.push(accuracy(y_hat, y));
  }
  net.eval();
  const test = torch.noGrad(() => net(X.index(':4')));
  return [losses, accs, test];
}

describe('d2l 8.5 batch normalization', () => {
  torch.manualSeed(0);
  const X = torch.rand(16, 1, 28, 28);
  const y = torch.randint(0, 10, [16]);

  it('draws the same data', () => {
    expectClose(X, golden.X, 0);
    expect(y.tolist()).toEqual(golden.y);
  });

  it('trains the from-scratch LeNet as PyTorch', { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    const net = lenetScratch();
    const [losses, accs, test] = trainBn(net, X, y, 4, 0.9);
    expectClose(losses, golden.scratch_losses, 1e-4, 'losses');
    expect(accs).toEqual(golden.scratch_accs);
    expectClose(test, golden.scratch_test, 1e-3, 'test');
    expectClose((net[1] as BatchNorm).gamma.reshape([-1]), golden.scratch_gamma, 1e-4, 'gamma');
    expectClose((net[1] as BatchNorm).beta.reshape([-1]), golden.scratch_beta, 1e-4, 'beta');
    expectClose((net[5] as BatchNorm).moving_var, golden.scratch_moving_var, 1e-4, 'moving_var');
    expectClose((net[10] as BatchNorm).moving_mean.index(':', ':6'), golden.scratch_moving_mean_2d, 1e-4, 'moving_mean');
    const [Yng] = torch.noGrad(() => batch_norm(X.index(':2'), torch.ones(1), torch.zeros(1), torch.zeros(1), torch.ones(1), 1e-5, 0.1));
    expectClose(Yng.index(0, 0, 0, ':6'), golden.no_grad_Y, 1e-6, 'no_grad');
  });

  it('trains the concise nn.BatchNorm LeNet as PyTorch', { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    const net = lenetConcise();
    const [losses, accs, test] = trainBn(net, X, y, 4, 0.9);
    expectClose(losses, golden.concise_losses, 1e-4, 'losses');
    expect(accs).toEqual(golden.concise_accs);
    expectClose(test, golden.concise_test, 1e-3, 'test');
    expectClose((net[1] as torch.nn.BatchNorm2d).weight!, golden.concise_gamma, 1e-4, 'gamma');
    expectClose((net[1] as torch.nn.BatchNorm2d).runningVar as Tensor, golden.concise_running_var, 1e-4, 'running_var');
    expect(String(net[11])).toBe(golden.concise_bn1d_repr);
    expect(String(net)).toBe(golden.concise_repr);
    expect(String((net[1] as torch.nn.BatchNorm2d).numBatchesTracked)).toBe(golden.concise_num_batches);
  });
});

// --- 14.4 Anchor Boxes ---
function box_corner_to_center(boxes: Tensor): Tensor {
  const [x1, y1, x2, y2] = [boxes.index(':', 0), boxes.index(':', 1), boxes.index(':', 2), boxes.index(':', 3)];
  const cx = x1.add(x2).div(2);
  const cy = y1.add(y2).div(2);
  const w = x2.sub(x1);
  const h = y2.sub(y1);
  return torch.stack([cx, cy, w, h], { axis: -1 });
}

function box_center_to_corner(boxes: Tensor): Tensor {
  const [cx, cy, w, h] = [boxes.index(':', 0), boxes.index(':', 1), boxes.index(':', 2), boxes.index(':', 3)];
  const x1 = cx.sub(torch.mul(0.5, w));
  const y1 = cy.sub(torch.mul(0.5, h));
  const x2 = cx.add(torch.mul(0.5, w));
  const y2 = cy.add(torch.mul(0.5, h));
  return torch.stack([x1, y1, x2, y2], { axis: -1 });
}

function multibox_prior(data: Tensor, sizes: number[], ratios: number[]): Tensor {
  const [in_height, in_width] = data.shape.slice(-2);
  const [device, num_sizes, num_ratios] = [data.device, sizes.length, ratios.length];
  const boxes_per_pixel = num_sizes + num_ratios - 1;
  const size_tensor = torch.tensor(sizes, { device });
  const ratio_tensor = torch.tensor(ratios, { device });
  const [offset_h, offset_w] = [0.5, 0.5];
  const steps_h = 1.0 / in_height;
  const steps_w = 1.0 / in_width;
  const center_h = torch.arange(in_height, { device }).add(offset_h).mul(steps_h);
  const center_w = torch.arange(in_width, { device }).add(offset_w).mul(steps_w);
  let [shift_y, shift_x] = torch.meshgrid(center_h, center_w, { indexing: 'ij' });
  [shift_y, shift_x] = [shift_y.reshape(-1), shift_x.reshape(-1)];
  const w = torch.cat([size_tensor.mul(torch.sqrt(ratio_tensor.index(0))), torch.mul(sizes[0], torch.sqrt(ratio_tensor.index('1:')))])
    .mul(in_height).div(in_width);
  const h = torch.cat([size_tensor.div(torch.sqrt(ratio_tensor.index(0))), torch.div(sizes[0], torch.sqrt(ratio_tensor.index('1:')))]);
  const anchor_manipulations = torch.stack([w.neg(), h.neg(), w, h]).T.repeat(in_height * in_width, 1).div(2);
  const out_grid = torch.stack([shift_x, shift_y, shift_x, shift_y], { dim: 1 }).repeatInterleave(boxes_per_pixel, { dim: 0 });
  const output = out_grid.add(anchor_manipulations);
  return output.unsqueeze(0);
}

function box_iou(boxes1: Tensor, boxes2: Tensor): Tensor {
  const box_area = (boxes: Tensor): Tensor => boxes.index(':', 2).sub(boxes.index(':', 0)).mul(boxes.index(':', 3).sub(boxes.index(':', 1)));
  const areas1 = box_area(boxes1);
  const areas2 = box_area(boxes2);
  const inter_upperlefts = torch.max(boxes1.index(':', null, ':2'), boxes2.index(':', ':2'));
  const inter_lowerrights = torch.min(boxes1.index(':', null, '2:'), boxes2.index(':', '2:'));
  const inters = inter_lowerrights.sub(inter_upperlefts).clamp({ min: 0 });
  const inter_areas = inters.index(':', ':', 0).mul(inters.index(':', ':', 1));
  const union_areas = areas1.index(':', null).add(areas2).sub(inter_areas);
  return inter_areas.div(union_areas);
}

function assign_anchor_to_bbox(ground_truth: Tensor, anchors: Tensor, device: torch.Device | string, iou_threshold = 0.5): Tensor {
  const [num_anchors, num_gt_boxes] = [anchors.shape[0], ground_truth.shape[0]];
  const jaccard = box_iou(anchors, ground_truth);
  const anchors_bbox_map = torch.full([num_anchors], -1, { dtype: torch.long, device });
  const [max_ious, indices] = torch.max(jaccard, { dim: 1 });
  const anc_i = torch.nonzero(max_ious.ge(iou_threshold)).reshape(-1);
  const box_j = indices.index(max_ious.ge(iou_threshold));
  anchors_bbox_map.indexPut_([anc_i], box_j);
  const col_discard = torch.full([num_anchors], -1);
  const row_discard = torch.full([num_gt_boxes], -1);
  for (let k = 0; k < num_gt_boxes; k++) {
    const max_idx = torch.argmax(jaccard);
    const box_idx = max_idx.remainder(num_gt_boxes).long();
    const anc_idx = max_idx.div(num_gt_boxes).long();
    anchors_bbox_map.indexPut_([anc_idx], box_idx);
    jaccard.indexPut_([':', box_idx], col_discard);
    jaccard.indexPut_([anc_idx, ':'], row_discard);
  }
  return anchors_bbox_map;
}

function offset_boxes(anchors: Tensor, assigned_bb: Tensor, eps = 1e-6): Tensor {
  const c_anc = box_corner_to_center(anchors);
  const c_assigned_bb = box_corner_to_center(assigned_bb);
  const offset_xy = torch.mul(10, c_assigned_bb.index(':', ':2').sub(c_anc.index(':', ':2'))).div(c_anc.index(':', '2:'));
  const offset_wh = torch.mul(5, torch.log(torch.add(eps, c_assigned_bb.index(':', '2:').div(c_anc.index(':', '2:')))));
  return torch.cat([offset_xy, offset_wh], { axis: 1 });
}

function multibox_target(anchors: Tensor, labels: Tensor): [Tensor, Tensor, Tensor] {
  const batch_size = labels.shape[0];
  anchors = anchors.squeeze(0);
  const [batch_offset, batch_mask, batch_class_labels]: Tensor[][] = [[], [], []];
  const [device, num_anchors] = [anchors.device, anchors.shape[0]];
  for (let i = 0; i < batch_size; i++) {
    const label = labels.index(i, ':', ':');
    const anchors_bbox_map = assign_anchor_to_bbox(label.index(':', '1:'), anchors, device);
    const bbox_mask = anchors_bbox_map.ge(0).float().unsqueeze(-1).repeat(1, 4);
    const class_labels = torch.zeros(num_anchors, { dtype: torch.long, device });
    const assigned_bb = torch.zeros([num_anchors, 4], { dtype: torch.float32, device });
    const indices_true = torch.nonzero(anchors_bbox_map.ge(0));
    const bb_idx = anchors_bbox_map.index(indices_true);
    class_labels.indexPut_([indices_true], label.index(bb_idx, 0).long().add(1));
    assigned_bb.indexPut_([indices_true], label.index(bb_idx, '1:'));
    const offset = offset_boxes(anchors, assigned_bb).mul(bbox_mask);
    batch_offset.push(offset.reshape(-1));
    batch_mask.push(bbox_mask.reshape(-1));
    batch_class_labels.push(class_labels);
  }
  return [torch.stack(batch_offset), torch.stack(batch_mask), torch.stack(batch_class_labels)];
}

function offset_inverse(anchors: Tensor, offset_preds: Tensor): Tensor {
  const anc = box_corner_to_center(anchors);
  const pred_bbox_xy = offset_preds.index(':', ':2').mul(anc.index(':', '2:')).div(10).add(anc.index(':', ':2'));
  const pred_bbox_wh = torch.exp(offset_preds.index(':', '2:').div(5)).mul(anc.index(':', '2:'));
  const pred_bbox = torch.cat([pred_bbox_xy, pred_bbox_wh], { axis: 1 });
  return box_center_to_corner(pred_bbox);
}

function nms(boxes: Tensor, scores: Tensor, iou_threshold: number): Tensor {
  let B = torch.argsort(scores, { dim: -1, descending: true });
  const keep: Tensor[] = [];
  while (B.numel() > 0) {
    const i = B.index(0);
    keep.push(i);
    if (B.numel() === 1) break;
    const iou = box_iou(boxes.index(i, ':').reshape(-1, 4), boxes.index(B.index('1:'), ':').reshape(-1, 4)).reshape(-1);
    const inds = torch.nonzero(iou.le(iou_threshold)).reshape(-1);
    B = B.index(inds.add(1));
  }
  return torch.tensor(keep, { device: boxes.device });
}

function multibox_detection(cls_probs: Tensor, offset_preds: Tensor, anchors: Tensor, nms_threshold = 0.5, pos_threshold = 0.009999999): Tensor {
  const [device, batch_size] = [cls_probs.device, cls_probs.shape[0]];
  anchors = anchors.squeeze(0);
  const num_anchors = cls_probs.shape[2];
  const out: Tensor[] = [];
  for (let i = 0; i < batch_size; i++) {
    const [cls_prob, offset_pred] = [cls_probs.index(i), offset_preds.index(i).reshape(-1, 4)];
    let [conf, class_id] = torch.max(cls_prob.index('1:'), 0);
    let predicted_bb = offset_inverse(anchors, offset_pred);
    const keep = nms(predicted_bb, conf, nms_threshold);
    const all_idx = torch.arange(num_anchors, { dtype: torch.long, device });
    const combined = torch.cat([keep, all_idx]);
    const [uniques, counts] = combined.unique({ returnCounts: true }) as Tensor[];
    const non_keep = uniques.index(counts.eq(1));
    const all_id_sorted = torch.cat([keep, non_keep]);
    class_id.indexPut_([non_keep], -1);
    class_id = class_id.index(all_id_sorted);
    [conf, predicted_bb] = [conf.index(all_id_sorted), predicted_bb.index(all_id_sorted)];
    const below_min_idx = conf.lt(pos_threshold);
    class_id.indexPut_([below_min_idx], -1);
    conf.indexPut_([below_min_idx], torch.sub(1, conf.index(below_min_idx)));
    const pred_info = torch.cat([class_id.unsqueeze(1), conf.unsqueeze(1), predicted_bb], { dim: 1 });
    out.push(pred_info);
  }
  return torch.stack(out);
}

describe('d2l 14.4 anchor boxes', () => {
  it('generates anchor boxes with multibox_prior', () => {
    const [h, w] = [6, 8];
    torch.manualSeed(0);
    const X = torch.rand({ size: [1, 3, h, w] });
    const Y = multibox_prior(X, [0.75, 0.5, 0.25], [1, 2, 0.5]);
    expect(Y.shape).toEqual(golden.prior_shape);
    const boxes = Y.reshape(h, w, 5, 4);
    expectClose(boxes.index(2, 3, ':', ':'), golden.prior_box, 1e-6, 'box');
    expect(String(boxes.index(2, 3, 0, ':'))).toBe(golden.prior_box_repr);
    expectClose(Y, golden.prior_all, 1e-6, 'all');
    const anc = Y.index(0, ':40');
    const scores = torch.rand(40);
    expect(nms(anc, scores, 0.3).tolist()).toEqual(golden.nms_random);
  });

  it('labels anchors with multibox_target', () => {
    const ground_truth = torch.tensor([[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]]);
    const anchors = torch.tensor([[0, 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
      [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]]);
    expectClose(box_iou(anchors, ground_truth.index(':', '1:')), golden.iou, 1e-6, 'iou');
    const labels = multibox_target(anchors.unsqueeze({ dim: 0 }), ground_truth.unsqueeze({ dim: 0 }));
    expect(String(labels[2])).toBe(golden.labels2_repr);
    expect(String(labels[1])).toBe(golden.labels1_repr);
    expect(String(labels[0])).toBe(golden.labels0_repr);
    expectClose(labels[0], golden.labels0, 1e-5, 'offsets');
  });

  it('predicts with non-maximum suppression', () => {
    const anchors = torch.tensor([[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95], [0.15, 0.3, 0.62, 0.91], [0.55, 0.2, 0.9, 0.88]]);
    const offset_preds = torch.tensor(new Array(anchors.numel()).fill(0));
    const cls_probs = torch.tensor([[0, 0, 0, 0], [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]]);
    const output = multibox_detection(cls_probs.unsqueeze({ dim: 0 }), offset_preds.unsqueeze({ dim: 0 }), anchors.unsqueeze({ dim: 0 }), 0.5);
    expect(String(output)).toBe(golden.detection_repr);
    expectClose(output, golden.detection, 1e-6, 'detection');
    expect(String(nms(anchors, cls_probs.index(1), 0.5))).toBe(golden.nms_repr);
  });
});

// --- 14.10/14.11 transposed convolution initialised with a bilinear kernel ---
function bilinear_kernel(in_channels: number, out_channels: number, kernel_size: number): Tensor {
  const factor = Math.floor((kernel_size + 1) / 2);
  const center = kernel_size % 2 === 1 ? factor - 1 : factor - 0.5;
  const og = [torch.arange(kernel_size).reshape(-1, 1), torch.arange(kernel_size).reshape(1, -1)];
  const filt = torch.sub(1, torch.abs(og[0].sub(center)).div(factor)).mul(torch.sub(1, torch.abs(og[1].sub(center)).div(factor)));
  const weight = torch.zeros([in_channels, out_channels, kernel_size, kernel_size]);
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  weight.indexPut_([range(in_channels), range(out_channels), ':', ':'], filt);
  return weight;
}

describe('d2l 14.11 bilinear kernel', () => {
  it('upsamples with a ConvTranspose2d initialised by weight.data.copy_', () => {
    torch.manualSeed(0);
    torch.rand(1, 3, 6, 8);
    torch.rand(40);
    const conv_trans = new nn.ConvTranspose2d(3, 3, { kernelSize: 4, padding: 1, stride: 2, bias: false });
    conv_trans.weight.data.copy_(bilinear_kernel(3, 3, 4));
    expectClose(bilinear_kernel(3, 3, 4).index(1, 1), golden.bilinear_kernel, 1e-6, 'kernel');
    const img = torch.rand(3, 5, 6);
    expectClose(img, golden.img, 0, 'img');
    const X = img.unsqueeze(0);
    const Y = conv_trans(X);
    expect(Y.shape).toEqual(golden.upsampled_shape);
    expectClose(Y.index(0).permute(1, 2, 0), golden.upsampled, 1e-5, 'upsampled');
    const W = bilinear_kernel(5, 5, 8);
    expectClose(W.index(2, 2), golden.kernel_8, 1e-6, 'kernel 8');
    expect(W.index(0, 1).sum().item()).toBe(golden.kernel_8_offdiag_sum);
  });
});
