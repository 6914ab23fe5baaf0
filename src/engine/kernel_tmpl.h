/* Matrix kernels over T input rows, written once and included by kernels.c for each
 * instruction set with its vector macros:
 *   KV        vector of KL floats          KZERO()      all zero
 *   KLOADF(p) KL floats                    KLOADH(p)    KL halves widened
 *   KLOADQ(p) KL int8 widened (not scaled) KSET1(s)     broadcast
 *   KFMA(a, b, c) a·b + c                  KMUL(a, b)   a·b
 *   KHSUM(v)  float sum, fixed order       KFN(name)    the function's name for this set
 *   KH2F(h)   one half to float            KATTR        function attributes (target)
 *   KOT, KRT  output and input rows of a full tile (≤ 4, ≤ 8)
 * and undefines them all at its end.
 *
 * Every y[t][o] is computed by the same instruction sequence whichever tile it falls in: one
 * accumulator vector summed along the row in order (Q8_0: each chunk's weights are the exact
 * products q·scale, since an int8 times a half fits a float's mantissa), then the horizontal
 * sum, then the tail columns one by one, then the bias. So a row of a batch gets the same bits
 * as that row alone (GEMM = GEMV), for any tile shape and any split across threads. */

/* The tile loops must unroll completely so the accumulators are registers, not an array. */
#define KUNROLL _Pragma("GCC unroll 8")

/* The weights of output row o, chunk at column k (k a multiple of KL). */
#define KW_F32(w, o, k) KLOADF((const float *)(w)->data + (size_t)(o) * (w)->cols + (k))
#define KW_F16(w, o, k) KLOADH((const uint16_t *)(w)->data + (size_t)(o) * (w)->cols + (k))

/* A tile of RT input rows by OT output rows starting at (t0, o0), for an F32 or F16 matrix.
 * RT and OT are constants at every call, so the accumulators live in registers. */
#define KTILE_PLAIN(TYPE, LOADW)                                                              \
    KATTR static inline __attribute__((always_inline)) void KFN(tile_##TYPE)(                 \
        float *y, const float *x, const Matrix *w, const float *b, int t0, int o0, int RT,    \
        int OT) {                                                                             \
        int n = w->cols, nv = n - n % KL;                                                     \
        KV acc[8][4];                                                                         \
        KUNROLL for (int r = 0; r < RT; r++) KUNROLL for (int j = 0; j < OT; j++) acc[r][j] = \
            KZERO();                                                                          \
        for (int k = 0; k < nv; k += KL) {                                                    \
            KV wv[4];                                                                         \
            KUNROLL for (int j = 0; j < OT; j++) wv[j] = LOADW(w, o0 + j, k);                 \
            KUNROLL for (int r = 0; r < RT; r++) {                                            \
                KV xv = KLOADF(x + (size_t)(t0 + r) * n + k);                                 \
                KUNROLL for (int j = 0; j < OT; j++) acc[r][j] = KFMA(xv, wv[j], acc[r][j]);  \
            }                                                                                 \
        }                                                                                     \
        KUNROLL for (int r = 0; r < RT; r++) KUNROLL for (int j = 0; j < OT; j++) {           \
            const float *xr = x + (size_t)(t0 + r) * n;                                       \
            float s = KHSUM(acc[r][j]);                                                       \
            for (int k = nv; k < n; k++) s += xr[k] * KSCALAR_##TYPE(w, o0 + j, k);           \
            y[(size_t)(t0 + r) * w->rows + o0 + j] = s + (b ? b[o0 + j] : 0.0f);              \
        }                                                                                     \
    }

#define KSCALAR_f32(w, o, k) ((const float *)(w)->data)[(size_t)(o) * (w)->cols + (k)]
#define KSCALAR_f16(w, o, k) KH2F(((const uint16_t *)(w)->data)[(size_t)(o) * (w)->cols + (k)])

KTILE_PLAIN(f32, KW_F32)
KTILE_PLAIN(f16, KW_F16)

/* Q8_0: rows of cols/32 blocks {f16 scale, 32 int8}; cols is a multiple of 32 (the loader
 * checks), so there is no tail. */
KATTR static inline __attribute__((always_inline)) void KFN(tile_q8)(float *y, const float *x,
                                                                     const Matrix *w,
                                                                     const float *b, int t0, int o0,
                                                                     int RT, int OT) {
    int n = w->cols, nb = n / Q8_BLOCK;
    size_t row_bytes = q8_row_bytes((uint64_t)n);
    const uint8_t *base = w->data;
    KV acc[8][4];
    KUNROLL for (int r = 0; r < RT; r++) KUNROLL for (int j = 0; j < OT; j++) acc[r][j] = KZERO();
    for (int blk = 0; blk < nb; blk++) {
        KV scale[4];
        const uint8_t *q[4];
        KUNROLL for (int j = 0; j < OT; j++) {
            const uint8_t *p = base + (size_t)(o0 + j) * row_bytes + (size_t)blk * Q8_BLOCK_BYTES;
            scale[j] = KSET1(KH2F((uint16_t)(p[0] | p[1] << 8)));
            q[j] = p + 2;
        }
        KUNROLL for (int c = 0; c < 32; c += KL) {
            KV wv[4];
            KUNROLL for (int j = 0; j < OT; j++) wv[j] =
                KMUL(KLOADQ((const int8_t *)q[j] + c), scale[j]);
            KUNROLL for (int r = 0; r < RT; r++) {
                KV xv = KLOADF(x + (size_t)(t0 + r) * n + blk * 32 + c);
                KUNROLL for (int j = 0; j < OT; j++) acc[r][j] = KFMA(xv, wv[j], acc[r][j]);
            }
        }
    }
    KUNROLL for (int r = 0; r < RT; r++) KUNROLL for (int j = 0; j < OT; j++)
        y[(size_t)(t0 + r) * w->rows + o0 + j] = KHSUM(acc[r][j]) + (b ? b[o0 + j] : 0.0f);
}

/* y[t][o] for t < T, o in [lo, hi): output rows outer, so each tile of weights is read from
 * memory once and used for every input row from cache. Tiles of up to 4 input rows by KOT
 * output rows; a lone input row takes 4 output rows (four independent sums hide the FMA
 * latency); the edges take narrower tiles. */
#define KCOLUMN(TYPE, OT)                                                           \
    do {                                                                            \
        int t = 0;                                                                  \
        for (; t + KRT <= T; t += KRT) KFN(tile_##TYPE)(y, x, w, b, t, o, KRT, OT); \
        switch (T - t) {                                                            \
        case 7: KFN(tile_##TYPE)(y, x, w, b, t, o, 7, OT); break;                   \
        case 6: KFN(tile_##TYPE)(y, x, w, b, t, o, 6, OT); break;                   \
        case 5: KFN(tile_##TYPE)(y, x, w, b, t, o, 5, OT); break;                   \
        case 4: KFN(tile_##TYPE)(y, x, w, b, t, o, 4, OT); break;                   \
        case 3: KFN(tile_##TYPE)(y, x, w, b, t, o, 3, OT); break;                   \
        case 2: KFN(tile_##TYPE)(y, x, w, b, t, o, 2, OT); break;                   \
        case 1: KFN(tile_##TYPE)(y, x, w, b, t, o, 1, OT); break;                   \
        }                                                                           \
    } while (0)
#define KRUN(TYPE)                                                                       \
    KATTR static void KFN(rows_##TYPE)(float *y, const float *x, int T, const Matrix *w, \
                                       const float *b, int lo, int hi) {                 \
        int o = lo;                                                                      \
        if (T == 1)                                                                      \
            for (; o + 4 <= hi; o += 4) KFN(tile_##TYPE)(y, x, w, b, 0, o, 1, 4);        \
        for (; o + KOT <= hi; o += KOT) KCOLUMN(TYPE, KOT);                              \
        for (; o < hi; o++) KCOLUMN(TYPE, 1);                                            \
    }

KRUN(f32)
KRUN(f16)
KRUN(q8)

#undef KTILE_PLAIN
#undef KRUN
#undef KUNROLL
#undef KCOLUMN
#undef KW_F32
#undef KW_F16
#undef KSCALAR_f32
#undef KSCALAR_f16
/* The instruction set's macros end here too, so the next set defines its own. */
#undef KV
#undef KL
#undef KOT
#undef KRT
#undef KZERO
#undef KLOADF
#undef KLOADH
#undef KLOADQ
#undef KSET1
#undef KFMA
#undef KMUL
#undef KHSUM
#undef KH2F
#undef KFN
#undef KATTR
