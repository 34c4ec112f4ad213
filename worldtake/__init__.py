"""worldtake: follow a developing international story across the world's press."""

__version__ = "0.1.0"

__all__ = ["__version__"]
