// Citation, licence and provenance of each data set the demo library is cut from (from each SOURCE.md).
export interface DemoSource {
  id: string;
  name: string;
  citation: string;
  licence: string;
  licenceUrl: string;
  sourceUrl: string;
  changes: string;
}

const SUBSET = 'subset of files; the table keeps only the rows of the included files (rows unchanged). Files unchanged.';

export const DEMO_SOURCES: DemoSource[] = [
  {
    id: 'ptb-xl',
    name: 'PTB-XL, a large publicly available electrocardiography dataset (v1.0.1)',
    citation:
      'Wagner, P., Strodthoff, N., Bousseljot, R.-D., Kreiseler, D., Lunze, F.I., Samek, W., Schaeffter, T. (2020). PTB-XL, a large publicly available electrocardiography dataset. Scientific Data 7:154. https://doi.org/10.1038/s41597-020-0495-6 — PhysioNet, https://doi.org/10.13026/x4td-x982 — Goldberger, A., et al. (2000). PhysioBank, PhysioToolkit, and PhysioNet. Circulation 101(23), e215–e220.',
    licence: 'CC BY 4.0',
    licenceUrl: 'https://creativecommons.org/licenses/by/4.0/',
    sourceUrl: 'https://physionet.org/content/ptb-xl/1.0.1/',
    changes: `100 Hz records (records100/) only; ${SUBSET} scp_statements.csv and LICENSE.txt unchanged.`,
  },
  {
    id: 'ludb',
    name: 'Lobachevsky University Electrocardiography Database (LUDB) v1.0.1',
    citation:
      'Kalyakulina, A., et al. Lobachevsky University Electrocardiography Database (version 1.0.1). PhysioNet. https://doi.org/10.13026/eegm-h675 — Kalyakulina, A.I., et al. (2020). LUDB: A New Open-Access Validation Tool for Electrocardiogram Delineation Algorithms. IEEE Access 8, 186181–186190. https://doi.org/10.1109/ACCESS.2020.3029211 — Goldberger, A., et al. (2000). Circulation 101(23), e215–e220.',
    licence: 'ODC-By 1.0',
    licenceUrl: 'https://opendatacommons.org/licenses/by/1-0/',
    sourceUrl: 'https://physionet.org/content/ludb/1.0.1/',
    changes: `Signal records (.hea/.dat) only, no wave annotation files; ${SUBSET}`,
  },
  {
    id: 'cinc2021-sample',
    name: 'PhysioNet/Computing in Cardiology Challenge 2021 (sample of Georgia, PTB-XL and Ningbo records)',
    citation:
      'Reyna, M.A., Sadr, N., Perez Alday, E.A., Gu, A., Shah, A.J., Robichaux, C., Rad, A.B., Elola, A., Seyedi, S., Ansari, S., Ghanbari, H., Li, Q., Sharma, A., Clifford, G.D. Will Two Do? Varying Dimensions in Electrocardiography: The PhysioNet/Computing in Cardiology Challenge 2021. Computing in Cardiology 2021. https://doi.org/10.23919/CinC53138.2021.9662687 — PhysioNet, https://doi.org/10.13026/34va-7q14 — Goldberger, A., et al. (2000). Circulation 101(23), e215–e220. PTB-XL-derived records (HR*): Wagner et al. (2020), Sci Data 7:154.',
    licence: 'CC BY 4.0 (records); BSD 2-Clause (dx-mapping tables, © 2020, 2021 PhysioNet/Computing in Cardiology Challenges)',
    licenceUrl: 'https://creativecommons.org/licenses/by/4.0/',
    sourceUrl: 'https://physionet.org/content/challenge-2021/1.0.3/',
    changes: 'Subset of records (.hea/.mat unchanged); dx-mapping tables and their LICENSE unchanged.',
  },
  {
    id: 'kermany-pediatric-cxr',
    name: 'Labeled Optical Coherence Tomography (OCT) and Chest X-Ray Images for Classification (chest X-ray part)',
    citation:
      'Kermany, D., Zhang, K., Goldbaum, M. (2018). Labeled Optical Coherence Tomography (OCT) and Chest X-Ray Images for Classification. Mendeley Data, V2. https://doi.org/10.17632/rscbjbr9sj.2',
    licence: 'CC BY 4.0',
    licenceUrl: 'https://creativecommons.org/licenses/by/4.0/',
    sourceUrl: 'https://data.mendeley.com/datasets/rscbjbr9sj/2',
    changes: `The images are a third party's 224x224 RGB JPEG copies (github.com/waliatushar/ai-pneumonia-detection; aspect ratio not preserved), used as found; ${SUBSET}`,
  },
  {
    id: 'covid19-hannover-cxr',
    name: 'COVID-19 Image Repository (Hannover Medical School)',
    citation:
      'Winther, H.B., et al. COVID-19 Image Repository. Hannover Medical School. figshare, https://doi.org/10.6084/m9.figshare.12275009 — dataset https://doi.org/10.25835/0090041 (github.com/ml-workgroup/covid-19-image-repository, commit a9842c3b52767f048d67adf0d85f2c440b9b3d25).',
    licence: 'CC BY 3.0',
    licenceUrl: 'https://creativecommons.org/licenses/by/3.0/',
    sourceUrl: 'https://github.com/ml-workgroup/covid-19-image-repository',
    changes: `Upstream's own 640 px PNG previews; ${SUBSET} LICENSE unchanged.`,
  },
  {
    id: 'nih-cxr14-mini',
    name: 'NIH Clinical Center ChestX-ray14',
    citation:
      'Wang, X., Peng, Y., Lu, L., Lu, Z., Bagheri, M., Summers, R.M. (2017). ChestX-ray8: Hospital-scale Chest X-ray Database and Benchmarks on Weakly-Supervised Classification and Localization of Common Thorax Diseases. IEEE CVPR 2017. NIH Clinical Center, https://nihcc.app.box.com/v/ChestXray-NIHCC',
    licence: 'No restriction on use (NIH Clinical Center); cite the source',
    licenceUrl: 'https://nihcc.app.box.com/v/ChestXray-NIHCC',
    sourceUrl: 'https://nihcc.app.box.com/v/ChestXray-NIHCC',
    changes:
      'Nine 256 px and three 128 px images are third-party downscaled copies (see the data set notes); six are NIH 1024 px originals. All files unchanged; Data_Entry_2017_v2020 rows of these images only.',
  },
  {
    id: 'chexpert-labeler-phrases',
    name: 'CheXpert labeler phrase lists (vocabulary for the constructed CXR report sentences; no files shipped)',
    citation:
      'Irvin, J., Rajpurkar, P., et al. (2019). CheXpert: A Large Chest Radiograph Dataset with Uncertainty Labels and Expert Comparison. AAAI 2019. arXiv:1901.07031. Phrase lists from github.com/stanfordmlgroup/chexpert-labeler, commit 44ddeb363149aa657296237f18b5472a73c1756f (MIT License, © 2018 Stanford Machine Learning Group).',
    licence: 'MIT',
    licenceUrl: 'https://github.com/stanfordmlgroup/chexpert-labeler/blob/master/LICENSE',
    sourceUrl: 'https://github.com/stanfordmlgroup/chexpert-labeler',
    changes: 'Full-word synonyms chosen from the lists and written into report-style sentence templates in the app code.',
  },
];
