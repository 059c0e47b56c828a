"""workreport: Chinese annual work summaries (工作总结) from a YAML file of facts."""

__version__ = "0.1.0"
