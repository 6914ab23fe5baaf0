/* make bench-kernels: GFLOP/s of the matrix kernels (one thread) by input rows T, for each
 * storage type, on an OPUS-MT-base FFN matrix (2048 x 512) and its transpose. T = 1 is the
 * batch-1 decoder step (memory-bound), T >= 8 the batched step (compute-bound). Not a test. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "engine/ops.h"
#include "engine/quantize.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: the machine may be shared */
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void run(const char *what, const Matrix *orig, int set) {
    int Ts[] = {1, 2, 4, 8, 16, 32, 64};
    Matrix copy = *orig, *w = &copy;
    void *packed = NULL;
    float *x = malloc((size_t)64 * w->cols * sizeof *x), *y = malloc((size_t)64 * w->rows * 4);
    for (size_t i = 0; i < (size_t)64 * w->cols; i++) x[i] = (float)(i % 7) * 0.1f;
    if (set) ops_bind_kernel(w, set);
    else ops_bind_portable(w);
    if (ops_pack_bytes(w, set)) { /* set 3's Q8_0: repacked, as at model load */
        packed = aligned_alloc(64, (ops_pack_bytes(w, set) + 63) / 64 * 64);
        ops_pack(w, packed, set);
    }
    printf("%-5s %-11s %5dx%-5d", what,
           set == 3   ? "avx512vnni"
           : set == 2 ? "avx512"
           : set      ? "avx2"
                      : "portable",
           w->rows, w->cols);
    for (int i = 0; i < 7; i++) {
        int T = Ts[i], reps = 0;
        double t0 = now(), dt;
        do {
            w->kernel(y, x, T, w, NULL, 0, w->rows);
            reps++;
        } while ((dt = now() - t0) < 0.2);
        printf("  T%-2d %6.1f", T, 2.0 * T * w->rows * w->cols * reps / dt / 1e9);
    }
    printf("  GFLOP/s\n");
    fflush(stdout);
    free(x), free(y), free(packed);
}

int main(void) {
    int shapes[][2] = {{2048, 512}, {512, 2048}};
    for (int s = 0; s < 2; s++) {
        int rows = shapes[s][0], cols = shapes[s][1];
        size_t n = (size_t)rows * cols;
        float *f = malloc(n * sizeof *f);
        uint16_t *h = malloc(n * 2);
        uint8_t *q = malloc(n / 32 * 34);
        for (size_t i = 0; i < n; i++) f[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
        for (size_t i = 0; i < n; i++) h[i] = ops_float_to_half(f[i]);
        for (int r = 0; r < rows; r++)
            quantize_q8_0_row(f + (size_t)r * cols, cols, q + (size_t)r * cols / 32 * 34);
        Matrix m[3] = {{f, MAT_F32, rows, cols, NULL},
                       {h, MAT_F16, rows, cols, NULL},
                       {q, MAT_Q8_0, rows, cols, NULL}};
        const char *names[3] = {"F32", "F16", "Q8_0"};
        for (int t = 0; t < 3; t++) {
            for (int set = 1; set <= ops_have_simd(); set++) run(names[t], &m[t], set);
            if (t != 1) run(names[t], &m[t], 0);
        }
        free(f), free(h), free(q);
    }
    return 0;
}
