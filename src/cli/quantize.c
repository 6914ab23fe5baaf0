/* anuvad quantize IN OUT: the model IN with its matrices as Q8_0 (anuvad_quantize). */
#include <string.h>

#include "cli.h"

int cli_quantize(int argc, char **argv) {
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        puts("usage: anuvad quantize IN OUT   write model IN to OUT with 8-bit (Q8_0) matrices");
        return CLI_OK;
    }
    if (argc != 3) {
        cli_error("quantize: want IN and OUT model paths (anuvad quantize IN OUT)");
        return CLI_USAGE;
    }
    char err[1024];
    int rc = anuvad_quantize(argv[1], argv[2], err, sizeof err);
    if (rc) {
        cli_error("%s", err);
        return rc == ANUVAD_ERR_USAGE ? CLI_USAGE : CLI_BAD;
    }
    return CLI_OK;
}
