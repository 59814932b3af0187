/* An independent EDF writer and reader built on Debian's libedf (edflib), used to make and check EDF test
 * fixtures without our own code in the loop.
 *   write OUT.edf DAT FS_HZ N_SAMPLES LEAD... : a WFDB format-16 file of interleaved 12-lead samples
 *       (gain 1000 ADU/mV, as PTB-XL) -> EDF+C, one channel per lead labelled "ECG <lead>", in uV.
 *   read IN.edf : prints "label|dimension|fs" per signal, then the first 2000 physical samples of each
 *       signal as one line of numbers.
 * Build: gcc -O2 -o edflib-tool edflib-tool.c -ledf */
#include <edflib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int do_write(int argc, char **argv) {
  const char *out = argv[2], *dat = argv[3];
  int fs = atoi(argv[4]), n = atoi(argv[5]), nl = argc - 6;
  FILE *f = fopen(dat, "rb");
  if (!f || nl < 1 || fs < 1 || n < fs) { fprintf(stderr, "bad arguments\n"); return 2; }
  short *raw = malloc(sizeof(short) * n * nl);
  if (fread(raw, sizeof(short), (size_t)n * nl, f) != (size_t)n * nl) { fprintf(stderr, "short read\n"); return 2; }
  fclose(f);
  int h = edfopen_file_writeonly(out, EDFLIB_FILETYPE_EDFPLUS, nl);
  if (h < 0) { fprintf(stderr, "edfopen failed %d\n", h); return 2; }
  for (int s = 0; s < nl; s++) {
    char label[32];
    snprintf(label, sizeof label, "ECG %s", argv[6 + s]);
    edf_set_samplefrequency(h, s, fs);
    edf_set_physical_maximum(h, s, 32767);
    edf_set_physical_minimum(h, s, -32768);
    edf_set_digital_maximum(h, s, 32767);
    edf_set_digital_minimum(h, s, -32768);
    edf_set_label(h, s, label);
    edf_set_physical_dimension(h, s, "uV");
  }
  double *buf = malloc(sizeof(double) * fs);
  for (int r = 0; r + fs <= n; r += fs) {
    for (int s = 0; s < nl; s++) {
      for (int i = 0; i < fs; i++) buf[i] = raw[(r + i) * nl + s]; /* 1 ADU = 1 uV */
      if (edfwrite_physical_samples(h, buf) < 0) { fprintf(stderr, "write failed\n"); return 2; }
    }
  }
  edfclose_file(h);
  return 0;
}

static int do_read(const char *in) {
  struct edf_hdr_struct hdr;
  if (edfopen_file_readonly(in, &hdr, EDFLIB_READ_ALL_ANNOTATIONS) < 0) { fprintf(stderr, "open failed %d\n", hdr.filetype); return 2; }
  for (int s = 0; s < hdr.edfsignals; s++) {
    double fs = (double)hdr.signalparam[s].smp_in_datarecord / ((double)hdr.datarecord_duration / EDFLIB_TIME_DIMENSION);
    printf("%s|%s|%g\n", hdr.signalparam[s].label, hdr.signalparam[s].physdimension, fs);
  }
  double *buf = malloc(sizeof(double) * 2000);
  for (int s = 0; s < hdr.edfsignals; s++) {
    int got = edfread_physical_samples(hdr.handle, s, 2000, buf);
    for (int i = 0; i < got; i++) printf(i ? " %.9g" : "%.9g", buf[i]);
    printf("\n");
  }
  edfclose_file(hdr.handle);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 7 && !strcmp(argv[1], "write")) return do_write(argc, argv);
  if (argc == 3 && !strcmp(argv[1], "read")) return do_read(argv[2]);
  fprintf(stderr, "usage: edflib-tool write OUT.edf DAT FS N LEAD... | read IN.edf\n");
  return 2;
}
