"""What pyproject.toml cannot say: the wheel carries ``resources/`` inside the engine's package.

The templates, fonts, translations and icons live at the top of the checkout, where people edit
them and where the PyInstaller spec picks them up. A wheel (``pip install reglament``, pipx) has
no checkout around it, so they travel as ``desktop/_resources`` and ``desktop.resources`` looks
there. Everything else about the project is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["desktop*", "ui*"], exclude=["*.__pycache__"]),
        "desktop._resources",
    ],
    package_dir={"desktop._resources": "resources"},
    package_data={
        "*": ["*.ini", "*.mako", "*.j2", "*.qm"],
        "desktop._resources": ["**/*"],
    },
    exclude_package_data={"desktop._resources": ["screenshots/*", "**/*.ts", "**/*.po"]},
)
