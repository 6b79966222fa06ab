"""`{{ user|person }}` "Đinh Anh Trường (Bí thư Đảng ủy xã Nông Hạ)" and `{{ user|person_name }}`."""

from django import template

from indicators import people

register = template.Library()


@register.filter
def person(user):
    return people.person_label(user)


@register.filter
def person_name(user):
    return people.person_name(user)
