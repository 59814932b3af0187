"""The MEDBind model, losses, optimiser, data and weight files, mirroring src/model of the TypeScript app."""
