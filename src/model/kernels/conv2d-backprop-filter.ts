// Conv2DBackpropFilter (the weight gradient of conv2d) as im2col + one BatchMatMul per batch chunk.
// The stock cpu kernel is a scalar loop (minutes per step); the wasm backend has no kernel at all.
// dW[fH*fW*inC, outC] = cols[fH*fW*inC, M] x dy[M, outC], M = positions in the chunk (NHWC only).
import * as tf from '@tensorflow/tfjs';
import { kernelIo, sizeOf } from './io';

/** Upper bound on the im2col matrix of one chunk (floats), to keep memory flat for large inputs. */
const MAX_COLS_FLOATS = 8 * 1024 * 1024;

export function makeConv2DBackpropFilter(backendName: 'cpu' | 'wasm'): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
    };
    if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter: only NHWC is implemented');
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const padTop = info.padInfo.top;
    const padLeft = info.padInfo.left;
    const dilH = info.dilationHeight;
    const dilW = info.dilationWidth;
    const io = kernelIo(backend);
    const xv = io.read(x);
    const dyv = io.read(dy);
    const K = filterHeight * filterWidth * inChannels;
    const perImage = outHeight * outWidth;
    const chunk = Math.max(1, Math.min(batchSize, Math.floor(MAX_COLS_FLOATS / Math.max(1, K * perImage))));
    const matMul = tf.getKernel('BatchMatMul', backendName);
    if (!matMul) throw new Error(`Conv2DBackpropFilter: no BatchMatMul on ${backendName}`);
    const acc = new Float32Array(K * outChannels);
    for (let n0 = 0; n0 < batchSize; n0 += chunk) {
      const nb = Math.min(chunk, batchSize - n0);
      const M = nb * perImage;
      const cols = new Float32Array(K * M);
      // cols[k, m] with k = (fy, fx, c) and m = (n, oy, ox): written directly in [K, M] order.
      for (let b = 0; b < nb; b++) {
        const xBase = (n0 + b) * inHeight * inWidth * inChannels;
        for (let oy = 0; oy < outHeight; oy++) {
          for (let ox = 0; ox < outWidth; ox++) {
            const m = b * perImage + oy * outWidth + ox;
            for (let fy = 0; fy < filterHeight; fy++) {
              const iy = oy * strideHeight - padTop + fy * dilH;
              if (iy < 0 || iy >= inHeight) continue;
              for (let fx = 0; fx < filterWidth; fx++) {
                const ix = ox * strideWidth - padLeft + fx * dilW;
                if (ix < 0 || ix >= inWidth) continue;
                const src = xBase + (iy * inWidth + ix) * inChannels;
                const kBase = (fy * filterWidth + fx) * inChannels;
                for (let c = 0; c < inChannels; c++) cols[(kBase + c) * M + m] = xv[src + c];
              }
            }
          }
        }
      }
      const a = io.make([1, K, M], 'float32', cols);
      const bInfo = io.make([1, M, outChannels], 'float32', dyv.subarray(n0 * perImage * outChannels, (n0 + nb) * perImage * outChannels));
      const prod = matMul.kernelFunc({ inputs: { a, b: bInfo }, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
      const pv = io.read(prod);
      for (let i = 0; i < acc.length; i++) acc[i] += pv[i];
      io.dispose(a);
      io.dispose(bInfo);
      io.dispose(prod);
    }
    if (sizeOf(filterShape) !== acc.length) throw new Error('Conv2DBackpropFilter: filter shape mismatch');
    return io.make(filterShape, 'float32', acc);
  };
}
