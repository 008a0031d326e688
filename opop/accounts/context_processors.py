def active_programme(request):
    access = getattr(request, "access", None)
    if not access:
        return {"access": None}
    return {"access": access}
