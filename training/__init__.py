"""MEDBind Studio's scale-out trainer: the app's model in PyTorch, trained with torchrun, exported to the app."""
