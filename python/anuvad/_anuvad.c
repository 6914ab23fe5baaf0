/* anuvad._anuvad: the CPython binding of anuvad.h (the Python-facing shapes are in
 * __init__.py). Every call into the library runs with the GIL released and the translator's
 * lock held: a translator is used by one thread at a time, so Python threads that share one
 * take turns, and threads with their own (clones) run at once. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>
#include <stdlib.h>
#include <string.h>

#include "anuvad.h"

static PyObject *Error, *ModelError, *InputError, *UsageError;

/* Library messages may quote input bytes that are not UTF-8. */
static PyObject *text_of(const char *s) {
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* Pieces round-trip through Python: bytes that are not UTF-8 become lone surrogates. */
static PyObject *piece_of(const char *s) {
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

/* The exception class of a status: files -> ModelError, text -> InputError, options ->
 * UsageError (also ValueError), out of memory -> MemoryError. `status` is an attribute. */
static PyObject *raise_status(int status, const char *msg) {
    if (status == ANUVAD_ERR_NOMEM) return PyErr_NoMemory();
    PyObject *cls = status == ANUVAD_ERR_IO || status == ANUVAD_ERR_FORMAT ? ModelError
                    : status == ANUVAD_ERR_INPUT                           ? InputError
                    : status == ANUVAD_ERR_USAGE                           ? UsageError
                                                                           : Error;
    PyObject *m = text_of(msg && msg[0] ? msg : "unknown error");
    PyObject *exc = m ? PyObject_CallOneArg(cls, m) : NULL;
    Py_XDECREF(m);
    if (!exc) return NULL;
    PyObject *st = PyLong_FromLong(status);
    if (st && PyObject_SetAttrString(exc, "status", st) == 0) PyErr_SetObject(cls, exc);
    Py_XDECREF(st);
    Py_DECREF(exc);
    return NULL;
}

/* ---- the translator object ---- */

typedef struct ModelObject {
    PyObject_HEAD AnuvadModel *m;
    struct ModelObject *parent; /* a clone keeps its model alive (anuvad.h: free clones first) */
    PyThread_type_lock lock;
    int closed;
    int n_clones; /* open clones of this model */
} ModelObject;

static PyTypeObject ModelType;

/* Free the library's translator once it is closed and no clone needs it. */
static void model_release(ModelObject *self) {
    if (!self->closed || self->n_clones > 0 || !self->m) return;
    anuvad_free(self->m);
    self->m = NULL;
    if (self->parent) {
        self->parent->n_clones--;
        model_release(self->parent);
    }
}

/* Take the translator's lock without the GIL (another thread may be translating with it). */
static AnuvadModel *model_enter(ModelObject *self) {
    if (!PyThread_acquire_lock(self->lock, NOWAIT_LOCK)) {
        Py_BEGIN_ALLOW_THREADS PyThread_acquire_lock(self->lock, WAIT_LOCK);
        Py_END_ALLOW_THREADS
    }
    if (self->closed) {
        PyThread_release_lock(self->lock);
        PyErr_SetString(PyExc_ValueError, "the translator is closed");
        return NULL;
    }
    return self->m;
}

static void model_leave(ModelObject *self) { PyThread_release_lock(self->lock); }

static ModelObject *model_new_object(void) {
    ModelObject *self = PyObject_New(ModelObject, &ModelType);
    if (!self) return NULL;
    self->m = NULL;
    self->parent = NULL;
    self->closed = 1; /* until a model is set */
    self->n_clones = 0;
    self->lock = PyThread_allocate_lock();
    if (!self->lock) {
        Py_DECREF(self);
        PyErr_NoMemory();
        return NULL;
    }
    return self;
}

static PyObject *model_load(PyObject *cls, PyObject *args, PyObject *kw) {
    (void)cls;
    static char *names[] = {"path", "threads", NULL};
    PyObject *path_obj;
    int threads = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|i:load", names, PyUnicode_FSConverter, &path_obj,
                                     &threads))
        return NULL;
    ModelObject *self = model_new_object();
    if (!self) {
        Py_DECREF(path_obj);
        return NULL;
    }
    char err[512] = "";
    int status = ANUVAD_OK;
    const char *path = PyBytes_AS_STRING(path_obj);
    Py_BEGIN_ALLOW_THREADS self->m = anuvad_load(path, threads, &status, err, sizeof err);
    Py_END_ALLOW_THREADS Py_DECREF(path_obj);
    if (!self->m) {
        Py_DECREF(self);
        return raise_status(status, err);
    }
    self->closed = 0;
    return (PyObject *)self;
}

static PyObject *model_clone(ModelObject *self, PyObject *args, PyObject *kw) {
    static char *names[] = {"threads", NULL};
    int threads = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|i:clone", names, &threads)) return NULL;
    ModelObject *c = model_new_object();
    if (!c) return NULL;
    AnuvadModel *m = model_enter(self);
    if (!m) {
        Py_DECREF(c);
        return NULL;
    }
    char err[512] = "";
    int status = ANUVAD_OK;
    Py_BEGIN_ALLOW_THREADS c->m = anuvad_clone(m, threads, &status, err, sizeof err);
    Py_END_ALLOW_THREADS if (c->m) self->n_clones++;
    model_leave(self);
    if (!c->m) {
        Py_DECREF(c);
        return raise_status(status, err);
    }
    Py_INCREF(self);
    c->parent = self;
    c->closed = 0;
    return (PyObject *)c;
}

static PyObject *model_close(ModelObject *self, PyObject *unused) {
    (void)unused;
    if (!PyThread_acquire_lock(self->lock, NOWAIT_LOCK)) {
        Py_BEGIN_ALLOW_THREADS PyThread_acquire_lock(self->lock, WAIT_LOCK);
        Py_END_ALLOW_THREADS
    }
    self->closed = 1;
    model_release(self);
    PyThread_release_lock(self->lock);
    Py_RETURN_NONE;
}

static void model_dealloc(ModelObject *self) {
    self->closed = 1;
    model_release(self); /* clones hold a reference: none is left here */
    Py_CLEAR(self->parent);
    if (self->lock) PyThread_free_lock(self->lock);
    PyObject_Free(self);
}

/* ---- results ---- */

static PyObject *floats(const float *v, Py_ssize_t n) {
    PyObject *l = PyList_New(n);
    for (Py_ssize_t i = 0; l && i < n; i++) {
        PyObject *f = PyFloat_FromDouble(v[i]);
        if (!f) return Py_DECREF(l), NULL;
        PyList_SET_ITEM(l, i, f);
    }
    return l;
}

static PyObject *ints(const int *v, Py_ssize_t n) {
    PyObject *l = PyList_New(n);
    for (Py_ssize_t i = 0; l && i < n; i++) {
        PyObject *x = PyLong_FromLong(v[i]);
        if (!x) return Py_DECREF(l), NULL;
        PyList_SET_ITEM(l, i, x);
    }
    return l;
}

/* rows x cols floats as a list of rows. */
static PyObject *matrix(const float *v, Py_ssize_t rows, Py_ssize_t cols) {
    PyObject *l = PyList_New(rows);
    for (Py_ssize_t i = 0; l && i < rows; i++) {
        PyObject *row = floats(v + i * cols, cols);
        if (!row) return Py_DECREF(l), NULL;
        PyList_SET_ITEM(l, i, row);
    }
    return l;
}

static PyObject *hypothesis_tuple(const AnuvadHypothesis *h, int src_len) {
    PyObject *none = Py_None;
    PyObject *text = text_of(h->text ? h->text : "");
    PyObject *tokens = ints(h->tokens, h->n_tokens);
    PyObject *lp = h->log_probs ? floats(h->log_probs, h->n_tokens) : Py_NewRef(none);
    PyObject *score = h->log_probs ? PyFloat_FromDouble(h->score) : Py_NewRef(none);
    PyObject *att = h->attention ? matrix(h->attention, h->n_tokens, src_len) : Py_NewRef(none);
    PyObject *t = NULL;
    if (text && tokens && lp && score && att) t = PyTuple_Pack(5, text, tokens, score, lp, att);
    Py_XDECREF(text);
    Py_XDECREF(tokens);
    Py_XDECREF(lp);
    Py_XDECREF(score);
    Py_XDECREF(att);
    return t;
}

/* (status, error or None, [warnings], src_len, [(text, ids, score, log_probs, attention)]);
 * a NUL byte the batch cut shows up as the warning the CLI prints. */
static PyObject *result_tuple(const AnuvadResult *r, Py_ssize_t nul_at) {
    const char *error = r->error; /* a pointer or an inline buffer, depending on the version */
    PyObject *err = r->status == ANUVAD_OK ? Py_NewRef(Py_None)
                                           : text_of(error && error[0] ? error : "out of memory");
    PyObject *warn = PyList_New(0), *hyps = PyList_New(r->n_hypotheses), *t = NULL;
    if (!err || !warn || !hyps) goto done;
    if (nul_at >= 0) {
        PyObject *w = PyUnicode_FromFormat(
            "NUL byte at column %zd: the rest of the line is ignored", nul_at + 1);
        if (!w || PyList_Append(warn, w) < 0) {
            Py_XDECREF(w);
            goto done;
        }
        Py_DECREF(w);
    }
    for (int i = 0; i < r->n_warnings; i++) {
        PyObject *w = text_of(r->warnings[i]);
        if (!w || PyList_Append(warn, w) < 0) {
            Py_XDECREF(w);
            goto done;
        }
        Py_DECREF(w);
    }
    for (int i = 0; i < r->n_hypotheses; i++) {
        PyObject *h = hypothesis_tuple(&r->hypotheses[i], r->src_len);
        if (!h) goto done;
        PyList_SET_ITEM(hyps, i, h);
    }
    t = Py_BuildValue("(iOOiO)", r->status, err, warn, r->src_len, hyps);
done:
    Py_XDECREF(err);
    Py_XDECREF(warn);
    Py_XDECREF(hyps);
    return t;
}

/* ---- translating ---- */

/* The texts as C strings (borrowed from bytes objects kept alive by `seq`). */
typedef struct {
    PyObject *seq;
    Py_ssize_t n;
    const char **texts;
    Py_ssize_t *nul_at; /* first NUL byte of each, or -1 */
    int **forced;
    int *n_forced;
    /* Token lists (pieces=True): each bytes object holds its pieces, each ended by a NUL byte,
     * and lists[i] points at them for anuvad_translate_tokens. */
    const char ***lists;
    int *lengths;
} Batch;

/* The NUL-ended pieces of len bytes as an array of pointers into them. */
static int split_pieces(const char *buf, Py_ssize_t len, const char ***out, int *n) {
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < len; i++) k += buf[i] == 0;
    if (k > 1 << 24) {
        PyErr_SetString(PyExc_ValueError, "too many tokens in one source");
        return -1;
    }
    *out = malloc(((size_t)k + 1) * sizeof **out);
    if (!*out) return PyErr_NoMemory(), -1;
    for (Py_ssize_t i = 0, at = 0; i < k; i++) {
        (*out)[i] = buf + at;
        at += (Py_ssize_t)strlen(buf + at) + 1;
    }
    *n = (int)k;
    return 0;
}

static void batch_free(Batch *b) {
    for (Py_ssize_t i = 0; b->lists && i < b->n; i++) free(b->lists[i]);
    free(b->lists);
    free(b->lengths);
    for (Py_ssize_t i = 0; b->forced && i < b->n; i++) free(b->forced[i]);
    free(b->forced);
    free(b->n_forced);
    free(b->texts);
    free(b->nul_at);
    Py_XDECREF(b->seq);
}

static int int_list(PyObject *o, int **out, int *n) {
    PyObject *seq = PySequence_Fast(o, "forced tokens must be a sequence of ints");
    if (!seq) return -1;
    Py_ssize_t k = PySequence_Fast_GET_SIZE(seq);
    if (k > 1 << 20) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "too many forced tokens");
        return -1;
    }
    *out = malloc(((size_t)k + 1) * sizeof **out);
    if (!*out) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        long v = PyLong_AsLong(PySequence_Fast_GET_ITEM(seq, i));
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(seq);
            return -1;
        }
        (*out)[i] = v < -1 || v > 1 << 30 ? -1 : (int)v; /* the library names bad ids */
    }
    *n = (int)k;
    Py_DECREF(seq);
    return 0;
}

static int batch_init(Batch *b, PyObject *texts, PyObject *forced, int pieces) {
    memset(b, 0, sizeof *b);
    b->seq = PySequence_Fast(texts, "texts must be a sequence of bytes");
    if (!b->seq) return -1;
    b->n = PySequence_Fast_GET_SIZE(b->seq);
    if (b->n > 1 << 30) {
        PyErr_SetString(PyExc_ValueError, "too many texts in one batch");
        return -1;
    }
    b->texts = calloc((size_t)b->n + 1, sizeof *b->texts);
    b->nul_at = calloc((size_t)b->n + 1, sizeof *b->nul_at);
    if (pieces) {
        b->lists = calloc((size_t)b->n + 1, sizeof *b->lists);
        b->lengths = calloc((size_t)b->n + 1, sizeof *b->lengths);
        if (!b->lists || !b->lengths) return PyErr_NoMemory(), -1;
    }
    if (!b->texts || !b->nul_at) return PyErr_NoMemory(), -1;
    for (Py_ssize_t i = 0; i < b->n; i++) {
        PyObject *t = PySequence_Fast_GET_ITEM(b->seq, i);
        if (!PyBytes_Check(t)) {
            PyErr_Format(PyExc_TypeError, "text %zd is %s, not bytes", i, Py_TYPE(t)->tp_name);
            return -1;
        }
        b->texts[i] = PyBytes_AS_STRING(t);
        b->nul_at[i] = !pieces && (Py_ssize_t)strlen(b->texts[i]) < PyBytes_GET_SIZE(t)
                           ? (Py_ssize_t)strlen(b->texts[i])
                           : -1;
        if (pieces && split_pieces(b->texts[i], PyBytes_GET_SIZE(t), &b->lists[i], &b->lengths[i]))
            return -1;
    }
    if (forced == Py_None) return 0;
    PyObject *fs = PySequence_Fast(forced, "forced must be a sequence of token lists");
    if (!fs) return -1;
    int rc = -1;
    if (PySequence_Fast_GET_SIZE(fs) != b->n) {
        PyErr_SetString(PyExc_ValueError, "forced must have one token list per text");
        goto out;
    }
    b->forced = calloc((size_t)b->n + 1, sizeof *b->forced);
    b->n_forced = calloc((size_t)b->n + 1, sizeof *b->n_forced);
    if (!b->forced || !b->n_forced) {
        PyErr_NoMemory();
        goto out;
    }
    for (Py_ssize_t i = 0; i < b->n; i++)
        if (int_list(PySequence_Fast_GET_ITEM(fs, i), &b->forced[i], &b->n_forced[i]) < 0) goto out;
    rc = 0;
out:
    Py_DECREF(fs);
    return rc;
}

static PyObject *model_translate(ModelObject *self, PyObject *args, PyObject *kw) {
    static char *names[] = {"texts",          "beam_size",      "n_best", "max_len",
                            "return_scores",  "return_attention", "workers", "forced",
                            "length_penalty", "early_stopping", "pieces", NULL};
    PyObject *texts, *forced = Py_None;
    int pieces = 0;
    AnuvadOptions o;
    anuvad_options_default(&o);
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|iiippiOfpp:translate", names, &texts,
                                     &o.beam_size, &o.n_best, &o.max_len, &o.return_scores,
                                     &o.return_attention, &o.workers, &forced, &o.length_penalty,
                                     &o.early_stopping, &pieces))
        return NULL;
    Batch b;
    if (batch_init(&b, texts, forced, pieces) < 0) return batch_free(&b), NULL;
    AnuvadResult *res = calloc((size_t)b.n + 1, sizeof *res);
    if (!res) return batch_free(&b), PyErr_NoMemory();
    AnuvadModel *m = model_enter(self);
    if (!m) return free(res), batch_free(&b), NULL;
    char err[512] = "";
    int rc = ANUVAD_OK;
    Py_BEGIN_ALLOW_THREADS if (
        b.forced) { /* each sentence its own forced tokens: one after another */
        for (Py_ssize_t i = 0; i < b.n; i++) {
            AnuvadOptions oi = o;
            oi.forced = b.forced[i], oi.n_forced = b.n_forced[i];
            if (b.lists) anuvad_translate_tokens(m, b.lists[i], b.lengths[i], &oi, &res[i]);
            else anuvad_translate(m, b.texts[i], &oi, &res[i]);
        }
    }
    else if (b.lists) {
        rc = anuvad_translate_tokens_batch(m, (const char *const *const *)b.lists, b.lengths,
                                           (int)b.n, &o, res, err, sizeof err);
    }
    else {
        rc = anuvad_translate_batch(m, b.texts, (int)b.n, &o, res, err, sizeof err);
    }
    Py_END_ALLOW_THREADS model_leave(self);
    PyObject *out = rc ? raise_status(rc, err) : PyList_New(b.n);
    for (Py_ssize_t i = 0; i < b.n; i++) {
        if (out) {
            PyObject *t = result_tuple(&res[i], b.nul_at[i]);
            if (t) PyList_SET_ITEM(out, i, t);
            else Py_CLEAR(out);
        }
        anuvad_result_free(&res[i]);
    }
    free(res);
    batch_free(&b);
    return out;
}

/* ---- stepping: every step's event copied (its pointers die with the callback) ---- */

typedef struct {
    int step, token, forced, n_top, prefix_len;
    float prob;
    int top_id[64];
    float top_prob[64];
    int *prefix;
    float *cross, *self;
} StepCopy;

typedef struct {
    StepCopy *v;
    int n, cap, src_len, n_layers, n_heads, nomem;
    char **src_pieces;
} Steps;

static int on_step(const AnuvadStep *ev, void *user) {
    Steps *s = user;
    if (!s->src_pieces) {
        s->src_len = ev->src_len, s->n_layers = ev->n_layers, s->n_heads = ev->n_heads;
        s->src_pieces = calloc((size_t)ev->src_len + 1, sizeof *s->src_pieces);
        for (int i = 0; s->src_pieces && i < ev->src_len; i++)
            if (!(s->src_pieces[i] = strdup(ev->src_pieces[i]))) return s->nomem = 1;
        if (!s->src_pieces) return s->nomem = 1;
    }
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 16;
        StepCopy *v = realloc(s->v, (size_t)cap * sizeof *v);
        if (!v) return s->nomem = 1;
        s->v = v, s->cap = cap;
    }
    StepCopy *c = &s->v[s->n];
    memset(c, 0, sizeof *c);
    size_t LH = (size_t)ev->n_layers * (size_t)ev->n_heads;
    c->prefix = malloc((size_t)ev->prefix_len * sizeof *c->prefix);
    c->cross = malloc(LH * (size_t)ev->src_len * sizeof *c->cross);
    c->self = malloc(LH * (size_t)ev->prefix_len * sizeof *c->self);
    s->n++; /* counted now so that its buffers are freed whatever happens */
    if (!c->prefix || !c->cross || !c->self) return s->nomem = 1;
    c->step = ev->step, c->token = ev->token, c->forced = ev->forced, c->prob = ev->prob;
    c->prefix_len = ev->prefix_len;
    c->n_top = ev->n_top < 64 ? ev->n_top : 64;
    for (int i = 0; i < c->n_top; i++)
        c->top_id[i] = ev->top[i].id, c->top_prob[i] = ev->top[i].prob;
    memcpy(c->prefix, ev->prefix, (size_t)ev->prefix_len * sizeof *c->prefix);
    memcpy(c->cross, ev->cross, LH * (size_t)ev->src_len * sizeof *c->cross);
    memcpy(c->self, ev->self, LH * (size_t)ev->prefix_len * sizeof *c->self);
    return 0;
}

static void steps_free(Steps *s) {
    for (int i = 0; i < s->n; i++) free(s->v[i].prefix), free(s->v[i].cross), free(s->v[i].self);
    free(s->v);
    for (int i = 0; s->src_pieces && i < s->src_len; i++) free(s->src_pieces[i]);
    free(s->src_pieces);
}

static PyObject *piece_list(AnuvadModel *m, const int *ids, int n) {
    PyObject *l = PyList_New(n);
    for (int i = 0; l && i < n; i++) {
        const char *p = anuvad_piece(m, ids[i]);
        PyObject *x = piece_of(p ? p : "");
        if (!x) return Py_DECREF(l), NULL;
        PyList_SET_ITEM(l, i, x);
    }
    return l;
}

/* [layers][heads][cols] nested lists. */
static PyObject *heads(const float *v, int layers, int nh, int cols) {
    PyObject *l = PyList_New(layers);
    for (int i = 0; l && i < layers; i++) {
        PyObject *x = matrix(v + (size_t)i * nh * cols, nh, cols);
        if (!x) return Py_DECREF(l), NULL;
        PyList_SET_ITEM(l, i, x);
    }
    return l;
}

static PyObject *step_dict(AnuvadModel *m, const Steps *s, const StepCopy *c) {
    PyObject *cand = PyList_New(c->n_top);
    for (int i = 0; cand && i < c->n_top; i++) {
        const char *p = anuvad_piece(m, c->top_id[i]);
        PyObject *t =
            Py_BuildValue("(Nid)", piece_of(p ? p : ""), c->top_id[i], (double)c->top_prob[i]);
        if (!t) Py_CLEAR(cand);
        else PyList_SET_ITEM(cand, i, t);
    }
    const char *piece = anuvad_piece(m, c->token);
    return Py_BuildValue("{s:i,s:i,s:N,s:d,s:O,s:N,s:N,s:N,s:N,s:N}", "step", c->step, "token",
                         c->token, "piece", piece_of(piece ? piece : ""), "prob", (double)c->prob,
                         "forced", c->forced ? Py_True : Py_False, "candidates", cand, "prefix",
                         ints(c->prefix, c->prefix_len), "prefix_pieces",
                         piece_list(m, c->prefix, c->prefix_len), "cross",
                         heads(c->cross, s->n_layers, s->n_heads, s->src_len), "self",
                         heads(c->self, s->n_layers, s->n_heads, c->prefix_len));
}

static PyObject *model_steps(ModelObject *self, PyObject *args, PyObject *kw) {
    static char *names[] = {"text", "forced", "max_len", "top_k", "pieces", NULL};
    Py_buffer text;
    PyObject *forced = Py_None;
    int pieces = 0;
    AnuvadOptions o;
    anuvad_options_default(&o);
    if (!PyArg_ParseTupleAndKeywords(args, kw, "y*|Oiip:steps", names, &text, &forced, &o.max_len,
                                     &o.top_k, &pieces))
        return NULL;
    int *f = NULL, nf = 0;
    if (forced != Py_None && int_list(forced, &f, &nf) < 0) return PyBuffer_Release(&text), NULL;
    o.forced = f, o.n_forced = nf;
    char *copy = malloc((size_t)text.len + 1); /* NUL-terminated for the library */
    if (!copy) return free(f), PyBuffer_Release(&text), PyErr_NoMemory();
    memcpy(copy, text.buf, (size_t)text.len);
    copy[text.len] = 0;
    Py_ssize_t nul_at =
        !pieces && (Py_ssize_t)strlen(copy) < text.len ? (Py_ssize_t)strlen(copy) : -1;
    const char **plist = NULL;
    int n_pieces = 0;
    if (pieces && split_pieces(copy, text.len, &plist, &n_pieces) < 0)
        return free(copy), free(f), PyBuffer_Release(&text), NULL;
    PyBuffer_Release(&text);
    Steps s = {0};
    o.on_step = on_step, o.step_user = &s;
    AnuvadResult r;
    AnuvadModel *m = model_enter(self);
    if (!m) return free(plist), free(copy), free(f), NULL;
    Py_BEGIN_ALLOW_THREADS if (plist) anuvad_translate_tokens(m, plist, n_pieces, &o, &r);
    else anuvad_translate(m, copy, &o, &r);
    Py_END_ALLOW_THREADS free(plist);
    free(copy);
    free(f);
    PyObject *out = NULL, *list = NULL, *src = NULL, *res = NULL;
    if (s.nomem) {
        PyErr_NoMemory();
        goto done;
    }
    res = result_tuple(&r, nul_at);
    list = PyList_New(s.n);
    src = PyList_New(s.src_pieces ? s.src_len : 0);
    if (!res || !list || !src) goto done;
    for (int i = 0; s.src_pieces && i < s.src_len; i++) {
        PyObject *p = piece_of(s.src_pieces[i]);
        if (!p) goto done;
        PyList_SET_ITEM(src, i, p);
    }
    for (int i = 0; i < s.n; i++) {
        PyObject *d = step_dict(m, &s, &s.v[i]);
        if (!d) goto done;
        PyList_SET_ITEM(list, i, d);
    }
    out = Py_BuildValue("(OOOii)", res, src, list, s.n_layers, s.n_heads);
done:
    model_leave(self); /* anuvad_piece reads the model: still ours until here */
    Py_XDECREF(res);
    Py_XDECREF(list);
    Py_XDECREF(src);
    anuvad_result_free(&r);
    steps_free(&s);
    return out;
}

/* ---- the model card and the tokenizers ---- */

static PyObject *model_info(ModelObject *self, PyObject *unused) {
    (void)unused;
    AnuvadModel *m = model_enter(self);
    if (!m) return NULL;
    AnuvadInfo i;
    anuvad_info(m, &i);
    PyObject *d = Py_BuildValue(
        "{s:N,s:L,s:N,s:N,s:N,s:N,s:s,s:s,s:s,s:O,s:O,s:O,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,"
        "s:i,s:i,s:n,s:n,s:K,s:i,s:i,s:i}",
        "path", text_of(i.path), "file_size", i.file_size, "name", text_of(i.name), "description",
        text_of(i.description), "source_language", text_of(i.source_language), "target_language",
        text_of(i.target_language), "activation", i.activation, "norm", i.norm, "positions",
        i.positions, "scale_embedding", i.scale_embedding ? Py_True : Py_False, "tie_output",
        i.tie_output ? Py_True : Py_False, "logits_bias", i.logits_bias ? Py_True : Py_False,
        "d_model", i.d_model, "heads", i.heads, "ffn_dim", i.ffn_dim, "encoder_layers",
        i.encoder_layers, "decoder_layers", i.decoder_layers, "max_positions", i.max_positions,
        "vocab_size", i.vocab_size, "pad", i.pad, "eos", i.eos, "unk", i.unk, "decoder_start",
        i.decoder_start, "source_tokenizer_bytes", (Py_ssize_t)i.source_tokenizer_bytes,
        "target_tokenizer_bytes", (Py_ssize_t)i.target_tokenizer_bytes, "parameters", i.parameters,
        "n_tensors", i.n_tensors, "f32_tensors", i.f32_tensors, "f16_tensors", i.f16_tensors);
    model_leave(self);
    return d;
}

static PyObject *model_piece(ModelObject *self, PyObject *arg) {
    long id = PyLong_AsLong(arg);
    if (id == -1 && PyErr_Occurred()) return NULL;
    AnuvadModel *m = model_enter(self);
    if (!m) return NULL;
    const char *p = id >= 0 && id < 1 << 30 ? anuvad_piece(m, (int)id) : NULL;
    PyObject *out = p ? piece_of(p) : Py_NewRef(Py_None);
    model_leave(self);
    return out;
}

static PyObject *model_tokenize(ModelObject *self, PyObject *args) {
    int side;
    Py_buffer text;
    if (!PyArg_ParseTuple(args, "iy*:tokenize", &side, &text)) return NULL;
    AnuvadModel *m = model_enter(self);
    if (!m) return PyBuffer_Release(&text), NULL;
    AnuvadTokens t;
    char err[512] = "";
    int rc;
    Py_BEGIN_ALLOW_THREADS rc =
        anuvad_tokenize(anuvad_tokenizer(m, side ? ANUVAD_TARGET : ANUVAD_SOURCE), text.buf,
                        (size_t)text.len, &t, err, sizeof err);
    Py_END_ALLOW_THREADS model_leave(self);
    PyBuffer_Release(&text);
    if (rc) return raise_status(rc, err);
    PyObject *pieces = PyList_New(t.n), *out = NULL;
    for (int i = 0; pieces && i < t.n; i++) {
        PyObject *p = piece_of(t.pieces[i]);
        if (!p) {
            Py_CLEAR(pieces);
            break;
        }
        PyList_SET_ITEM(pieces, i, p);
    }
    if (pieces) out = Py_BuildValue("(NN)", pieces, ints(t.ids, t.n));
    anuvad_tokens_free(&t);
    return out;
}

static PyObject *model_detokenize(ModelObject *self, PyObject *args) {
    int side, *ids = NULL, n = 0;
    PyObject *list;
    if (!PyArg_ParseTuple(args, "iO:detokenize", &side, &list)) return NULL;
    if (int_list(list, &ids, &n) < 0) return NULL;
    AnuvadModel *m = model_enter(self);
    if (!m) return free(ids), NULL;
    char err[512] = "", *text = NULL;
    int rc = anuvad_detokenize(anuvad_tokenizer(m, side ? ANUVAD_TARGET : ANUVAD_SOURCE), ids, n,
                               &text, err, sizeof err);
    model_leave(self);
    free(ids);
    if (rc) return raise_status(rc, err);
    PyObject *out = text_of(text);
    free(text);
    return out;
}

static PyObject *model_get_closed(ModelObject *self, void *unused) {
    (void)unused;
    return PyBool_FromLong(self->closed);
}

static PyMethodDef model_methods[] = {
    {"load", (PyCFunction)(void (*)(void))model_load, METH_VARARGS | METH_KEYWORDS | METH_CLASS,
     "load(path, threads=0): anuvad_load"},
    {"clone", (PyCFunction)(void (*)(void))model_clone, METH_VARARGS | METH_KEYWORDS,
     "clone(threads=0): anuvad_clone (same weights, own buffers)"},
    {"close", (PyCFunction)model_close, METH_NOARGS, "free the translator (after its clones)"},
    {"translate", (PyCFunction)(void (*)(void))model_translate, METH_VARARGS | METH_KEYWORDS,
     "translate(texts, ..., pieces=False): anuvad_translate_batch (pieces: each text is NUL-ended "
     "pieces, anuvad_translate_tokens_batch); result tuples"},
    {"steps", (PyCFunction)(void (*)(void))model_steps, METH_VARARGS | METH_KEYWORDS,
     "steps(text, forced=None, max_len=0, top_k=0, pieces=False): (result, source pieces, steps, "
     "L, H)"},
    {"info", (PyCFunction)model_info, METH_NOARGS, "anuvad_info as a dict"},
    {"piece", (PyCFunction)model_piece, METH_O, "the vocabulary piece of an id, or None"},
    {"tokenize", (PyCFunction)model_tokenize, METH_VARARGS, "tokenize(side, bytes): (pieces, ids)"},
    {"detokenize", (PyCFunction)model_detokenize, METH_VARARGS, "detokenize(side, ids): text"},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef model_getset[] = {
    {"closed", (getter)model_get_closed, NULL, "whether close() was called", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyTypeObject ModelType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "anuvad._anuvad.Model",
    .tp_basicsize = sizeof(ModelObject),
    .tp_dealloc = (destructor)model_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A loaded anuvad translator (use anuvad.Translator).",
    .tp_methods = model_methods,
    .tp_getset = model_getset,
};

static PyObject *default_threads(PyObject *mod, PyObject *unused) {
    (void)mod, (void)unused;
    return PyLong_FromLong(anuvad_default_threads());
}

static PyMethodDef module_methods[] = {
    {"default_threads", default_threads, METH_NOARGS, "anuvad_default_threads()"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT,
                                    "_anuvad",
                                    "The CPython binding of libanuvad (see anuvad).",
                                    -1,
                                    module_methods,
                                    NULL,
                                    NULL,
                                    NULL,
                                    NULL};

static int add_error(PyObject *mod, PyObject **slot, const char *name, PyObject *bases,
                     const char *doc) {
    *slot = PyErr_NewExceptionWithDoc(name, doc, bases, NULL);
    return *slot ? PyModule_AddObjectRef(mod, strrchr(name, '.') + 1, *slot) : -1;
}

PyMODINIT_FUNC PyInit__anuvad(void) {
    if (PyType_Ready(&ModelType) < 0) return NULL;
    PyObject *mod = PyModule_Create(&module);
    if (!mod) return NULL;
    PyObject *usage_bases = NULL;
    if (add_error(mod, &Error, "anuvad.AnuvadError", PyExc_RuntimeError,
                  "An error from the anuvad library; .status is its ANUVAD_ERR_* code.") < 0 ||
        add_error(mod, &ModelError, "anuvad.ModelError", Error,
                  "The model file cannot be read or is malformed.") < 0 ||
        !(usage_bases = PyTuple_Pack(2, Error, PyExc_ValueError)) ||
        add_error(mod, &InputError, "anuvad.InputError", usage_bases,
                  "Input text the model cannot handle (also a ValueError).") < 0 ||
        add_error(mod, &UsageError, "anuvad.UsageError", usage_bases,
                  "A bad option value: beam size, max length, threads (also a ValueError).") < 0 ||
        PyModule_AddObjectRef(mod, "Model", (PyObject *)&ModelType) < 0 ||
        PyModule_AddStringConstant(mod, "VERSION", ANUVAD_VERSION) < 0) {
        Py_XDECREF(usage_bases);
        Py_DECREF(mod);
        return NULL;
    }
    Py_DECREF(usage_bases);
    return mod;
}
