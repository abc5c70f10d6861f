"""The Family Connect pages, a module per subject: the form's journey, public
and for partners (``journey_pages``, with what its pages share in
``session``), saving and resuming a draft (``resume``), a form's status link
(``status``), the forms a partner sent (``my_forms``) and the bulk upload
(``bulk``)."""
