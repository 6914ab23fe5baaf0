// Encode speed of anuvad's tokenizer next to libsentencepiece's, in one run on the same text.
// Usage: bench_spm MODEL.model|MODEL.gguf:source|MODEL.gguf:target TEXT_FILE [seconds]
// Each line is encoded to pieces by both (our spm_encode; the library's Encode to pieces),
// repeatedly for about `seconds` each, best of 3 rounds; MB/s counts input bytes.
// It also counts lines where the two disagree (there should be none).
#include <sentencepiece_processor.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" {
#include "engine/gguf.h"
#include "spm/spm.h"
}

// The .model bytes: a file, or "FILE.gguf:side" for tokenizer.<side>.spm inside a GGUF.
static bool read_model(const std::string &arg, std::string *out) {
    size_t colon = arg.rfind(':');
    if (colon != std::string::npos && colon >= 5 && arg.compare(colon - 5, 5, ".gguf") == 0) {
        Gguf g;
        char err[256];
        const uint8_t *bytes;
        size_t n;
        std::string key = "tokenizer." + arg.substr(colon + 1) + ".spm";
        if (gguf_open(&g, arg.substr(0, colon).c_str(), err, sizeof err) != 0) return false;
        bool ok = gguf_get_bytes(&g, key.c_str(), &bytes, &n, err, sizeof err) == 0;
        if (ok) out->assign(reinterpret_cast<const char *>(bytes), n);
        gguf_close(&g);
        return ok;
    }
    std::ifstream f(arg, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    *out = ss.str();
    return bool(f);
}

static double now() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

template <class F> static double best_mbps(size_t bytes, double seconds, F run) {
    double best = 0;
    for (int round = 0; round < 3; round++) {
        double t0 = now(), t;
        size_t done = 0;
        do {
            run();
            done += bytes;
            t = now() - t0;
        } while (t < seconds / 3);
        double mbps = done / t / 1e6;
        if (mbps > best) best = mbps;
    }
    return best;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL.model TEXT_FILE [seconds]\n", argv[0]);
        return 1;
    }
    double seconds = argc > 3 ? std::atof(argv[3]) : 3.0;
    std::ifstream tf(argv[2], std::ios::binary);
    std::stringstream ts;
    ts << tf.rdbuf();
    std::string model, text = ts.str();
    if (!read_model(argv[1], &model)) {
        std::fprintf(stderr, "cannot read a model from %s\n", argv[1]);
        return 2;
    }
    std::vector<std::string> lines;
    size_t bytes = 0;
    for (size_t i = 0; i < text.size();) {
        size_t j = text.find('\n', i);
        if (j == std::string::npos) j = text.size();
        lines.push_back(text.substr(i, j - i));
        bytes += j - i;
        i = j + 1;
    }

    char err[256];
    SpmModel *m = spm_load(model.data(), model.size(), err, sizeof err);
    if (!m) {
        std::fprintf(stderr, "%s\n", err);
        return 2;
    }
    sentencepiece::SentencePieceProcessor sp;
    if (!sp.LoadFromSerializedProto(model).ok()) {
        std::fprintf(stderr, "libsentencepiece cannot load %s\n", argv[1]);
        return 2;
    }

    size_t differ = 0;
    for (const auto &l : lines) {
        SpmPieces p;
        std::vector<std::string> want;
        sp.Encode(l, &want);
        if (spm_encode(m, l.data(), l.size(), &p, err, sizeof err) != 0) {
            differ++;
            continue;
        }
        bool same = (size_t)p.n == want.size();
        for (int i = 0; same && i < p.n; i++) same = want[i] == p.pieces[i];
        differ += !same;
        spm_pieces_free(&p);
    }

    double ours = best_mbps(bytes, seconds, [&] {
        for (const auto &l : lines) {
            SpmPieces p;
            if (spm_encode(m, l.data(), l.size(), &p, err, sizeof err) == 0) spm_pieces_free(&p);
        }
    });
    double lib = best_mbps(bytes, seconds, [&] {
        std::vector<std::string> pieces;
        for (const auto &l : lines) sp.Encode(l, &pieces);
    });
    std::printf("%-28s %zu lines %.2f MB: anuvad %.2f MB/s, libsentencepiece %.2f MB/s "
                "(%.2fx), %zu lines differ\n",
                argv[1], lines.size(), bytes / 1e6, ours, lib, ours / lib, differ);
    spm_free(m);
    return differ ? 3 : 0;
}
