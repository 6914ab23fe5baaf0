// spm.h implemented over Debian's libsentencepiece (make SPM=1): the reference the tests
// compare src/spm.c with, usable as a drop-in. Errors are returned, never thrown or printed.
#include <sentencepiece_processor.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

extern "C" {
#include "spm/spm.h"
}

struct SpmModel {
    sentencepiece::SentencePieceProcessor sp;
};

static void set_err(char *err, size_t errlen, const char *what, const char *msg) {
    if (err && errlen) std::snprintf(err, errlen, "spm: %s: %s", what, msg);
}

extern "C" const char *spm_backend(void) { return "libsentencepiece"; }

extern "C" SpmModel *spm_load(const void *data, size_t size, char *err, size_t errlen) {
    if (!data && size) {
        set_err(err, errlen, "load", "no data");
        return nullptr;
    }
    SpmModel *m = new (std::nothrow) SpmModel;
    if (!m) {
        set_err(err, errlen, "load", "out of memory");
        return nullptr;
    }
    try {
        auto st = m->sp.LoadFromSerializedProto(std::string(static_cast<const char *>(data), size));
        if (!st.ok()) {
            set_err(err, errlen, "load", st.ToString().c_str());
            delete m;
            return nullptr;
        }
    } catch (const std::exception &e) {
        set_err(err, errlen, "load", e.what());
        delete m;
        return nullptr;
    }
    return m;
}

extern "C" void spm_free(SpmModel *m) { delete m; }

extern "C" void spm_pieces_free(SpmPieces *p) {
    if (!p) return;
    std::free(p->pieces);
    std::free(p->ids);
    p->pieces = nullptr;
    p->ids = nullptr;
    p->n = 0;
}

extern "C" int spm_encode(const SpmModel *m, const char *text, size_t len, SpmPieces *out,
                          char *err, size_t errlen) {
    out->n = 0;
    out->pieces = nullptr;
    out->ids = nullptr;
    try {
        sentencepiece::ImmutableSentencePieceText spt;
        auto st = m->sp.Encode(std::string(text ? text : "", text ? len : 0), spt.mutable_proto());
        if (!st.ok()) {
            set_err(err, errlen, "encode", st.ToString().c_str());
            return -1;
        }
        size_t n = spt.pieces_size(), bytes = 0;
        for (size_t i = 0; i < n; i++) bytes += spt.pieces(i).piece().size() + 1;
        // One block: the pointer array, then the strings (as src/spm.c lays it out).
        char **pieces = static_cast<char **>(std::malloc((n + 1) * sizeof(char *) + bytes));
        int *ids = static_cast<int *>(std::malloc((n ? n : 1) * sizeof(int)));
        if (!pieces || !ids) {
            std::free(pieces);
            std::free(ids);
            set_err(err, errlen, "encode", "out of memory");
            return -1;
        }
        char *dst = reinterpret_cast<char *>(pieces + n + 1);
        for (size_t i = 0; i < n; i++) {
            const std::string &s = spt.pieces(i).piece();
            pieces[i] = dst;
            std::memcpy(dst, s.data(), s.size());
            dst[s.size()] = 0;
            dst += s.size() + 1;
            ids[i] = static_cast<int>(spt.pieces(i).id());
        }
        pieces[n] = nullptr;
        out->n = static_cast<int>(n);
        out->pieces = pieces;
        out->ids = ids;
        return 0;
    } catch (const std::exception &e) {
        set_err(err, errlen, "encode", e.what());
        return -1;
    }
}

extern "C" int spm_decode(const SpmModel *m, const char *const *pieces, int n, char **out,
                          char *err, size_t errlen) {
    *out = nullptr;
    if (n < 0 || (n > 0 && !pieces)) {
        set_err(err, errlen, "decode", "bad arguments");
        return -1;
    }
    try {
        std::vector<std::string> v(pieces, pieces + n);
        std::string text;
        auto st = m->sp.Decode(v, &text);
        if (!st.ok()) {
            set_err(err, errlen, "decode", st.ToString().c_str());
            return -1;
        }
        char *s = static_cast<char *>(std::malloc(text.size() + 1));
        if (!s) {
            set_err(err, errlen, "decode", "out of memory");
            return -1;
        }
        std::memcpy(s, text.data(), text.size());
        s[text.size()] = 0;
        *out = s;
        return 0;
    } catch (const std::exception &e) {
        set_err(err, errlen, "decode", e.what());
        return -1;
    }
}
